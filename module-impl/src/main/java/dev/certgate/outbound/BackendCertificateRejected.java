package dev.certgate.outbound;

import dev.certgate.x509.AlternativeNames;

import javax.security.auth.x500.X500Principal;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * Our check of a back end's certificate failed, and the message says which check and on what: the chain (with
 * the issuer nobody trusts, or the certificate out of its validity) or the host name (with the names the
 * certificate holds). Built from certificate names only, so it may be shown to callers.
 */
public final class BackendCertificateRejected extends CertificateException {
    private static final long serialVersionUID = 1L;

    private BackendCertificateRejected(String message, Throwable cause) {
        super(message, cause);
    }

    /** The chain failed validation with {@code failure}; {@code chain} is the back end's, leaf first. */
    static BackendCertificateRejected chain(X509Certificate[] chain, CertificateException failure) {
        if (chain == null || chain.length == 0) {
            return new BackendCertificateRejected("The back end presented no certificate", failure);
        }
        Date now = new Date();
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity(now);
            } catch (CertificateExpiredException e) {
                return new BackendCertificateRejected("The back end's certificate chain is not valid: "
                        + name(certificate.getSubjectX500Principal()) + " expired on "
                        + certificate.getNotAfter().toInstant(), failure);
            } catch (CertificateNotYetValidException e) {
                return new BackendCertificateRejected("The back end's certificate chain is not valid: "
                        + name(certificate.getSubjectX500Principal()) + " is not valid before "
                        + certificate.getNotBefore().toInstant(), failure);
            }
        }
        if (!untrusted(failure)) {
            return new BackendCertificateRejected("The back end's certificate chain is not valid: "
                    + reason(failure), failure);
        }
        X509Certificate top = chain[chain.length - 1];
        X500Principal issuer = top.getIssuerX500Principal();
        String untrusted = issuer.equals(top.getSubjectX500Principal())
                ? "it ends at " + name(issuer) + ", a self-signed certificate that is"
                : "its issuer " + name(issuer) + " (not sent by the back end) is";
        return new BackendCertificateRejected("The back end's certificate chain is not trusted: " + untrusted
                + " neither a JDK trust anchor nor an uploaded authority", failure);
    }

    /** The certificate does not name {@code host}; {@code failure} is the host name verifier's. */
    static BackendCertificateRejected hostName(String host, X509Certificate certificate, Exception failure) {
        AlternativeNames names = AlternativeNames.of(certificate);
        return new BackendCertificateRejected("The back end's certificate does not name the host \"" + host
                + "\": its DNS names are " + names.dnsNames() + ", its IP addresses " + names.ipAddresses()
                + " (certificate " + name(certificate.getSubjectX500Principal()) + ")", failure);
    }

    /** PKIX found no path to a trust anchor (as opposed to a path it found and then refused). */
    private static boolean untrusted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    /** The message of the innermost cause that has one: the JDK's outer layers repeat it or say less. */
    private static String reason(Throwable failure) {
        String reason = failure.getMessage();
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                reason = t.getMessage();
            }
        }
        return reason == null ? "the JDK gave no reason" : reason;
    }

    private static String name(X500Principal principal) {
        return "\"" + principal.getName(X500Principal.RFC2253) + "\"";
    }
}
