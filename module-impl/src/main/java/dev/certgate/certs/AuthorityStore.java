package dev.certgate.certs;

import dev.certgate.api.model.AuthorityProperties;
import dev.certgate.config.ConfigService;

import java.util.Optional;

/** STUB (owner: certs work). CA certificates trusted for back ends, stored as config/authorities/<id>/authority.pem. */
public final class AuthorityStore {
    public record Stored(AuthorityProperties properties, boolean created) {
    }

    public AuthorityStore(ConfigService config) {
        throw new UnsupportedOperationException("stub");
    }

    /** {@code data}: PEM or DER of one CA certificate; a file with a private key is refused (400). */
    public Stored put(String id, byte[] data, String ifMatch) {
        throw new UnsupportedOperationException("stub");
    }

    public Optional<AuthorityProperties> get(String id) {
        throw new UnsupportedOperationException("stub");
    }

    public void delete(String id, String ifMatch) {
        throw new UnsupportedOperationException("stub");
    }
}
