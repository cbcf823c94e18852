package dev.certgate.x509;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** SHA-1 (APIM's form) and SHA-256 thumbprints, and normalisation of user input. */
public final class Thumbprints {
    private static final Pattern SEPARATORS = Pattern.compile("[:\\s]");
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    private Thumbprints() {
    }

    /** SHA-1 of the DER encoding, upper-case hex, no colons. */
    public static String sha1(X509Certificate certificate) {
        return digest("SHA-1", certificate);
    }

    /** SHA-256 of the DER encoding, upper-case hex, no colons (shown next to the SHA-1 for display). */
    public static String sha256(X509Certificate certificate) {
        return digest("SHA-256", certificate);
    }

    /** Removes colons and white space and upper-cases; does not check the length. */
    public static String normalize(String thumbprint) {
        if (isNormalized(thumbprint)) {
            return thumbprint; // upper-case hex already: the usual case, met on every proxied request
        }
        return SEPARATORS.matcher(thumbprint).replaceAll("").toUpperCase(Locale.ROOT);
    }

    private static boolean isNormalized(String thumbprint) {
        for (int i = 0; i < thumbprint.length(); i++) {
            char c = thumbprint.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static String digest(String algorithm, X509Certificate certificate) {
        try {
            return UPPER_HEX.formatHex(MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            // Every JDK has SHA-1 and SHA-256, and a parsed certificate always re-encodes.
            throw new IllegalStateException("cannot compute the " + algorithm + " thumbprint", e);
        }
    }
}
