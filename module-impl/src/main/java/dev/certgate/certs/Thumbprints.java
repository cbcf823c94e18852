package dev.certgate.certs;

import java.security.cert.X509Certificate;

/** STUB (owner: certs work). SHA-1 (APIM's form) and SHA-256 thumbprints, and normalisation of user input. */
public final class Thumbprints {
    private Thumbprints() {
    }

    /** SHA-1 of the DER encoding, upper-case hex, no colons. */
    public static String sha1(X509Certificate certificate) {
        throw new UnsupportedOperationException("stub");
    }

    public static String sha256(X509Certificate certificate) {
        throw new UnsupportedOperationException("stub");
    }

    /** Removes colons and white space and upper-cases; does not check the length. */
    public static String normalize(String thumbprint) {
        throw new UnsupportedOperationException("stub");
    }
}
