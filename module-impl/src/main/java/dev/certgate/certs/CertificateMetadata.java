package dev.certgate.certs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.certgate.api.model.AuthorityProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.config.Json;

import java.security.cert.X509Certificate;
import java.util.Map;

/** The public metadata of a certificate, as stored in {@code config/} and shown by the admin API. */
public final class CertificateMetadata {
    private CertificateMetadata() {
    }

    /**
     * Names are shown the way .NET and APIM show them ("CN=client, O=Example"), with the JDK's keywords for the
     * usual attributes.
     */
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

    /** {@code certificateInformation.json}: {@code {"properties": {...}}}. */
    static byte[] json(CertificateProperties properties) {
        try {
            return Json.MAPPER.writeValueAsBytes(Map.of("properties", properties));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise certificate metadata", e);
        }
    }
}
