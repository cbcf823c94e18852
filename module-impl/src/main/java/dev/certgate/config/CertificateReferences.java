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
     * as APIM writes it, or a bare {@code "<id>"}; empty if the entry is neither.
     */
    public static Optional<String> idOf(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        String id = reference.startsWith(PREFIX) ? reference.substring(PREFIX.length()) : reference;
        return Ids.isValid(id) ? Optional.of(id) : Optional.empty();
    }
}
