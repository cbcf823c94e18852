package dev.certgate.config;

import dev.certgate.api.CertgateException;
import dev.certgate.x509.AuthorityCertificates;
import dev.certgate.x509.CertificateDescriptions;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads {@code authorities/<id>/authority.pem} by the same rule as an upload ({@link AuthorityCertificates}):
 * exactly one X.509 CA certificate and no key material.
 */
final class AuthorityPem {
    private AuthorityPem() {
    }

    /** The authority, or null after adding the reason to {@code errors}. */
    static AuthorityConfig read(String id, byte[] data, String file, List<ConfigError> errors) {
        X509Certificate certificate;
        try {
            certificate = AuthorityCertificates.parse(data);
        } catch (CertgateException refused) {
            errors.add(ConfigError.of(file, refused.getMessage()));
            return null;
        }
        return new AuthorityConfig(id, CertificateDescriptions.authority(certificate), certificate);
    }
}
