package dev.certgate.certs;

import dev.certgate.api.model.CertificateProperties;
import dev.certgate.config.ConfigService;

import java.util.List;
import java.util.Optional;

/**
 * STUB (owner: certs work). Client certificates: import (PFX or PEM), encrypted storage under the master
 * key, metadata in config/, usage-checked deletion, and key material for the proxy.
 */
public final class CertificateStore {
    /** What an upload answers: the stored metadata and any warnings (expired, no clientAuth EKU, …). */
    public record Stored(CertificateProperties properties, List<String> warnings, boolean created) {
    }

    public CertificateStore(ConfigService config, MasterKey masterKey) {
        throw new UnsupportedOperationException("stub");
    }

    /** Imports and stores; {@code ifMatch} may be null. Throws CertgateException (400/412) on refusal. */
    public Stored put(String id, byte[] data, char[] password, String ifMatch) {
        throw new UnsupportedOperationException("stub");
    }

    public Optional<CertificateProperties> get(String id) {
        throw new UnsupportedOperationException("stub");
    }

    /** 409 with one detail per user (backend or policy file) while anything references it; 404 if missing. */
    public void delete(String id, String ifMatch) {
        throw new UnsupportedOperationException("stub");
    }

    /** The key and chain of a stored certificate, decrypted and cached; empty if missing or unusable. */
    public Optional<KeyMaterial> keyMaterial(String id) {
        throw new UnsupportedOperationException("stub");
    }
}
