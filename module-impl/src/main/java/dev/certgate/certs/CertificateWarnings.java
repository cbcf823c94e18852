package dev.certgate.certs;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What is accepted but worth saying about an upload: validity, the Extended Key Usage, and the chain. A back
 * end may still take an expired certificate or know the missing intermediate; the operator decides.
 */
final class CertificateWarnings {
    static final Duration EXPIRY_NOTICE = Duration.ofDays(30);
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private CertificateWarnings() {
    }

    static List<String> of(ImportedCertificate imported, Instant now) {
        X509Certificate leaf = imported.leaf();
        List<String> warnings = new ArrayList<>();
        validity(leaf, now, warnings);
        if (!allowsClientAuth(leaf)) {
            warnings.add("The certificate's Extended Key Usage does not include clientAuth; back ends may refuse it"
                    + " as a client certificate");
        }
        X509Certificate last = imported.chain().get(imported.chain().size() - 1);
        if (!ChainOrder.isSelfSigned(last)) {
            warnings.add("The chain is incomplete: the issuer of '" + last.getSubjectX500Principal() + "' ('"
                    + last.getIssuerX500Principal() + "') is neither included nor self-signed; the back end must"
                    + " know it");
        }
        if (!imported.leftOut().isEmpty()) {
            warnings.add(imported.leftOut().size() + " certificate(s) of the file are not on the leaf's chain and were"
                    + " not stored");
        }
        return List.copyOf(warnings);
    }

    private static void validity(X509Certificate leaf, Instant now, List<String> warnings) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (notAfter.isBefore(now)) {
            warnings.add("The certificate expired on " + notAfter);
        } else if (notBefore.isAfter(now)) {
            warnings.add("The certificate is not valid yet: it is valid from " + notBefore);
        }
        if (!notAfter.isBefore(now) && notAfter.isBefore(now.plus(EXPIRY_NOTICE))) {
            warnings.add("The certificate expires within " + EXPIRY_NOTICE.toDays() + " days, on " + notAfter);
        }
    }

    private static boolean allowsClientAuth(X509Certificate leaf) {
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            return usages == null || usages.contains(CLIENT_AUTH) || usages.contains(ANY_EXTENDED_KEY_USAGE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
