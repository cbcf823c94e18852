package dev.certgate.config;

import dev.certgate.api.Ids;

import java.util.Optional;

/** How configuration files name certificates: backend {@code certificateIds} entries and thumbprints. */
public final class CertificateReferences {
    private static final String PREFIX = "/certificates/";

    private CertificateReferences() {
    }

    /**
     * The certificate id of a backend's {@code credentials.certificateIds} entry: {@code "/certificates/<id>"}
     * as APIM writes it, the Azure resource id the APIOps extractor writes ({@code
     * "/subscriptions/.../service/<service>/certificates/<id>"}), or a bare {@code "<id>"}; empty if it is none.
     */
    public static Optional<String> idOf(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        int at = reference.lastIndexOf(PREFIX);
        String id = at == 0 || at > 0 && reference.startsWith("/subscriptions/")
                ? reference.substring(at + PREFIX.length()) : reference;
        return Ids.isValid(id) ? Optional.of(id) : Optional.empty();
    }
}
