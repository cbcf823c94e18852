package dev.certgate.config;

import dev.certgate.api.model.AuthorityProperties;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HexFormat;
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
        AuthorityProperties properties = new AuthorityProperties(
                certificate.getSubjectX500Principal().getName(), sha1(certificate),
                certificate.getNotAfter().toInstant(), certificate.getNotBefore().toInstant());
        return new AuthorityConfig(id, properties, certificate);
    }

    /** APIM's thumbprint form: SHA-1 of the DER encoding, upper-case hex. */
    private static String sha1(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-1 of a parsed certificate must be computable", e);
        }
    }
}
