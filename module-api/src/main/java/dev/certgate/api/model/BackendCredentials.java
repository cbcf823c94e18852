package dev.certgate.api.model;

import java.util.List;
import java.util.Map;

/**
 * A backend's {@code credentials}, named as in APIM's BackendContract: {@code certificateIds}
 * ({@code "/certificates/<id>"}), {@code certificate} (thumbprints, ignored when certificateIds is
 * given) and {@code header} (name to literal values). {@code unused} holds the other properties as
 * written (APIM's {@code query}, {@code authorization}), kept but not acted on.
 */
public record BackendCredentials(List<String> certificateIds, List<String> certificate,
                                 Map<String, List<String>> header, Map<String, Object> unused) {
    public BackendCredentials {
        certificateIds = certificateIds == null ? List.of() : List.copyOf(certificateIds);
        certificate = certificate == null ? List.of() : List.copyOf(certificate);
        header = header == null ? Map.of() : Map.copyOf(header);
        unused = JsonValues.frozen(unused);
    }

    public BackendCredentials(List<String> certificateIds, List<String> certificate,
                              Map<String, List<String>> header) {
        this(certificateIds, certificate, header, Map.of());
    }

    public static final BackendCredentials NONE = new BackendCredentials(null, null, null);
}
