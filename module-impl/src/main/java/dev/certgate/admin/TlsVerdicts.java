package dev.certgate.admin;

import dev.certgate.admin.TlsCheckView.Verdict;
import dev.certgate.api.ErrorCode;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.outbound.TlsErrorText;
import dev.certgate.outbound.TlsProbe;
import dev.certgate.outbound.TlsProbeResult;
import dev.certgate.proxy.Failures;

import javax.security.auth.x500.X500Principal;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns what a TLS dry run saw into its verdict: {@code ok}, or the reason a call would fail with (classified by the
 * proxy's own {@link Failures}), one sentence on why and what to do. Built from names only, never key material.
 */
final class TlsVerdicts {
    private static final String AUTHORITY_UPLOAD = "as an authority (PUT /admin/authorities/{id})";
    private static final String CHAIN_OFF = "or, for tests only, set the backend's tls.validateCertificateChain to false";

    private TlsVerdicts() {
    }

    /**
     * @param target     host:port, for messages
     * @param key        the certificate offered, null if none
     * @param unusableId the configured certificate whose key could not be read, else null
     * @param matching   the stored certificates the back end's accepted issuers match
     */
    static Verdict of(TlsProbeResult probe, String target, KeyMaterial key, String unusableId, List<String> matching) {
        if (unusableId != null) {
            return verdict(ErrorCode.CLIENT_CERTIFICATE_UNAVAILABLE, "Certificate '" + unusableId
                            + "' is configured but its key cannot be read, so a call fails before it connects.",
                    "upload certificate '" + unusableId + "' again (PUT /admin/certificates/" + unusableId + ")");
        }
        Exception failure = probe.failure();
        if (failure == null) {
            return Verdict.OK;
        }
        ErrorCode code = Failures.classify(failure);
        return switch (code) {
            case BACKEND_TLS_VALIDATION_FAILED -> probe.protocol() != null ? name(failure) : chain(probe, failure);
            case BACKEND_TLS_HANDSHAKE_FAILED -> handshake(probe, key, matching, failure);
            case BACKEND_CONNECTION_FAILURE -> verdict(code, "The back end at " + target + " could not be reached: "
                    + reason(failure) + ".", "check the url's host and port, and that the back end runs and the "
                    + "gateway can reach it");
            case BACKEND_TIMEOUT -> verdict(code, "The back end at " + target + " did not complete a TLS handshake "
                    + "within " + TlsProbe.TIMEOUT.toSeconds() + " seconds.", "check that the url's port serves TLS "
                    + "and that the gateway can reach it");
            default -> verdict(code, "The TLS handshake failed: " + reason(failure) + ".", "see the gateway's log");
        };
    }

    /** The handshake went through and the name check after it failed (the pools check names after it too). */
    private static Verdict name(Exception failure) {
        return verdict(ErrorCode.BACKEND_TLS_VALIDATION_FAILED, explained(failure) + ".",
                "call the back end by a name its certificate holds (chain[0].dnsNames, ipAddresses), have its "
                        + "certificate reissued for this host, or set the backend's tls.validateCertificateName to false");
    }

    private static Verdict chain(TlsProbeResult probe, Exception failure) {
        String explanation = explained(failure) + ".";
        List<X509Certificate> chain = probe.chain();
        if (chain.isEmpty()) {
            return verdict(ErrorCode.BACKEND_TLS_VALIDATION_FAILED, explanation,
                    "configure the back end to send its certificate chain");
        }
        Date now = new Date();
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity(now);
            } catch (CertificateException e) {
                return verdict(ErrorCode.BACKEND_TLS_VALIDATION_FAILED, explanation, "the back end must renew "
                        + name(certificate.getSubjectX500Principal()) + " (valid " + certificate.getNotBefore()
                        .toInstant() + " to " + certificate.getNotAfter().toInstant() + ")");
            }
        }
        X509Certificate top = chain.get(chain.size() - 1);
        X500Principal issuer = top.getIssuerX500Principal();
        // A self-signed top is the back end's own certificate when it is all it sent, else the root CA it sent along.
        boolean selfSigned = issuer.equals(top.getSubjectX500Principal());
        String action = selfSigned && chain.size() == 1
                ? "upload the back end's self-signed certificate " + name(issuer) + " " + AUTHORITY_UPLOAD + " "
                + CHAIN_OFF
                : (selfSigned ? "upload its root CA " : "upload the issuing CA ") + name(issuer) + " "
                + AUTHORITY_UPLOAD + " " + CHAIN_OFF;
        return verdict(ErrorCode.BACKEND_TLS_VALIDATION_FAILED, explanation, action);
    }

    private static Verdict handshake(TlsProbeResult probe, KeyMaterial key, List<String> matching, Exception failure) {
        ErrorCode code = ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED;
        if (!probe.clientCertificateRequested()) {
            return verdict(code, "The TLS handshake with the back end failed: " + reason(failure) + ".",
                    "check that the back end serves TLS on this port with a protocol version and cipher suite Java "
                            + "offers");
        }
        String accepted = probe.acceptedIssuers().isEmpty() ? "a CA the back end trusts"
                : probe.acceptedIssuers().stream().map(TlsVerdicts::name).collect(Collectors.joining(" or "));
        String stored = matching.isEmpty() ? "none of the stored certificates is"
                : "stored certificates that are: " + String.join(", ", matching);
        if (key == null) {
            return verdict(code, "The back end requires a client certificate and none is configured.",
                    (matching.isEmpty() ? "upload a client certificate issued by " + accepted + " and name it"
                            : "name a certificate it accepts (" + String.join(", ", matching) + ")")
                            + " in the backend's credentials.certificateIds or an authentication-certificate policy");
        }
        if (!probe.certificatePresented()) {
            return verdict(code, "The back end requires a client certificate and certificate '"
                            + key.certificateId() + "' has a key type (" + key.privateKey().getAlgorithm()
                            + ") it does not take, so none was sent.",
                    "present a certificate issued by " + accepted + " with a key type the back end takes");
        }
        X500Principal issuer = key.chain().get(0).getIssuerX500Principal();
        if (!probe.acceptedIssuers().isEmpty() && !matching.contains(key.certificateId())) {
            return verdict(code, "The back end refused client certificate '" + key.certificateId() + "': it accepts "
                            + "certificates from " + accepted + ", not from " + name(issuer) + ".",
                    "the back end does not accept certificates from " + name(issuer) + "; present one issued by "
                            + accepted + " (" + stored + ")");
        }
        return verdict(code, "The back end refused client certificate '" + key.certificateId() + "' (issued by "
                        + name(issuer) + "): " + reason(failure) + ".",
                "ask the back end's operators why: the certificate may be expired, lack the clientAuth usage, or not "
                        + "be allowed by its subject");
    }

    private static Verdict verdict(ErrorCode code, String explanation, String action) {
        return new Verdict(code.code(), explanation, action);
    }

    /** The proxy's explanation of a refused back-end certificate, else the failure's reason. */
    private static String explained(Exception failure) {
        String message = Failures.message(failure);
        return message != null ? message : "The back end's certificate was refused: " + reason(failure);
    }

    /** The innermost message: the JDK's outer layers repeat it or say less. */
    private static String reason(Throwable failure) {
        String reason = null;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t.getMessage() != null) {
                reason = t.getMessage();
            }
        }
        return reason == null ? "no reason given" : TlsErrorText.plain(reason);
    }

    private static String name(X500Principal principal) {
        return "\"" + principal + "\"";
    }
}
