package dev.certgate.admin;

import dev.certgate.x509.AlternativeNames;
import dev.certgate.x509.Thumbprints;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What a TLS dry run answers. Every property is always there, null when it does not apply ({@code trustedBy} of
 * an untrusted chain, {@code presentedCertificate} when none went out, {@code protocol} of a failed handshake).
 *
 * @param trustedBy {@code "jdk"} or {@code {"authorityId": id}}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TlsCheckView(List<ChainCertificate> chain, boolean trusted, Object trustedBy, boolean nameMatches,
                           boolean clientCertificateRequested, List<String> acceptedIssuers,
                           List<String> matchingCertificates, Presented presentedCertificate, String protocol,
                           String cipherSuite, Verdict verdict) {

    /** One certificate of the back end's chain; names as the rest of the admin API shows them. */
    public record ChainCertificate(String subject, String issuer, Instant notBefore, Instant notAfter,
                                   List<String> dnsNames, List<String> ipAddresses, String thumbprint,
                                   String thumbprintSha256) {
        static ChainCertificate of(X509Certificate certificate) {
            AlternativeNames names = AlternativeNames.of(certificate);
            return new ChainCertificate(certificate.getSubjectX500Principal().toString(),
                    certificate.getIssuerX500Principal().toString(), certificate.getNotBefore().toInstant(),
                    certificate.getNotAfter().toInstant(), names.dnsNames(), names.ipAddresses(),
                    Thumbprints.sha1(certificate), Thumbprints.sha256(certificate));
        }
    }

    /** The stored certificate that went out in the handshake. */
    public record Presented(String id, String thumbprint) {
    }

    /** An uploaded authority the chain leads to. */
    public record Authority(String authorityId) {
    }

    /** {@code ok}, or the error table's reason a call would get, why, and what to do. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verdict(String result, String explanation, String action) {
        static final Verdict OK = new Verdict("ok", null, null);
    }
}
