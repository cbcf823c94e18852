package dev.certgate.x509;

import dev.certgate.api.model.AuthorityProperties;
import dev.certgate.api.model.CertificateProperties;

import java.security.cert.X509Certificate;

/**
 * The public metadata of a certificate as stored in {@code config/} and shown by the admin API. Names are
 * shown the way .NET and APIM show them ("CN=client, O=Example"), for client certificates and authorities alike.
 */
public final class CertificateDescriptions {
    private CertificateDescriptions() {
    }

    public static CertificateProperties certificate(X509Certificate certificate) {
        return new CertificateProperties(certificate.getSubjectX500Principal().toString(),
                certificate.getIssuerX500Principal().toString(), Thumbprints.sha1(certificate),
                Thumbprints.sha256(certificate), certificate.getNotAfter().toInstant(),
                certificate.getNotBefore().toInstant());
    }

    public static AuthorityProperties authority(X509Certificate certificate) {
        return new AuthorityProperties(certificate.getSubjectX500Principal().toString(), Thumbprints.sha1(certificate),
                certificate.getNotAfter().toInstant(), certificate.getNotBefore().toInstant());
    }
}
