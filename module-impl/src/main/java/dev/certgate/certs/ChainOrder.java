package dev.certgate.certs;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders a file's certificates by issuer links, whatever order the file had: leaf first, then each
 * certificate's issuer (same name and a signature that verifies), up to a self-signed root or a gap.
 */
final class ChainOrder {
    /** The chain from the leaf, and the certificates of the file that are not on it. */
    record Ordered(List<X509Certificate> chain, List<X509Certificate> leftOut) {
    }

    private ChainOrder() {
    }

    static Ordered from(X509Certificate leaf, List<X509Certificate> certificates) {
        List<X509Certificate> remaining = new ArrayList<>(certificates);
        remaining.remove(leaf);
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        X509Certificate current = leaf;
        while (!isSelfSigned(current)) {
            X509Certificate issuer = issuerOf(current, remaining);
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            remaining.remove(issuer);
            current = issuer;
        }
        return new Ordered(List.copyOf(chain), List.copyOf(remaining));
    }

    static boolean isSelfSigned(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                && signedBy(certificate, certificate);
    }

    private static X509Certificate issuerOf(X509Certificate certificate, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                    && signedBy(certificate, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            // wrong key, unsupported signature algorithm: either way not this issuer
            return false;
        }
    }
}
