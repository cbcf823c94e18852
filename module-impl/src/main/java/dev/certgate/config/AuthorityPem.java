package dev.certgate.config;

import dev.certgate.x509.CertificateDescriptions;


import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/** Reads {@code authorities/<id>/authority.pem}: exactly one X.509 CA certificate and no key material. */
final class AuthorityPem {
    private AuthorityPem() {
    }

    /** The authority, or null after adding the reason to {@code errors}. */
    static AuthorityConfig read(String id, byte[] data, String file, List<ConfigError> errors) {
        // Checked on the raw text: a key must be refused even when the certificate in front of it is fine.
        if (new String(data, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY")) {
            errors.add(ConfigError.of(file, "contains a private key; an authority file must hold only the CA certificate"));
            return null;
        }
        Collection<? extends Certificate> certificates;
        try {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(data));
        } catch (CertificateException e) {
            errors.add(ConfigError.of(file, "not an X.509 certificate (PEM or DER): " + e.getMessage()));
            return null;
        }
        if (certificates.size() != 1) {
            errors.add(ConfigError.of(file, "must hold exactly one certificate, found " + certificates.size()));
            return null;
        }
        X509Certificate certificate = (X509Certificate) certificates.iterator().next();
        return new AuthorityConfig(id, CertificateDescriptions.authority(certificate), certificate);
    }

}
