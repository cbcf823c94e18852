package dev.certgate.api.model;

import java.util.List;
import java.util.Map;

/**
 * A backend's {@code credentials}, named as in APIM's BackendContract: {@code certificateIds}
 * ({@code "/certificates/<id>"}), {@code certificate} (thumbprints, ignored when certificateIds is
 * given) and {@code header} (name to literal values).
 */
public record BackendCredentials(List<String> certificateIds, List<String> certificate,
                                 Map<String, List<String>> header) {
    public BackendCredentials {
        certificateIds = certificateIds == null ? List.of() : List.copyOf(certificateIds);
        certificate = certificate == null ? List.of() : List.copyOf(certificate);
        header = header == null ? Map.of() : Map.copyOf(header);
    }

    public static final BackendCredentials NONE = new BackendCredentials(null, null, null);
}
