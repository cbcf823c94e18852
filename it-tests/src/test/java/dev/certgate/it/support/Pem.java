package dev.certgate.it.support;

import dev.certgate.testsupport.TestPki;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/** Encodings the tests upload and compare against, computed independently of the server. */
public final class Pem {
    private Pem() {
    }

    public static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    public static String base64(String text) {
        return base64(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The certificate alone, PEM. */
    public static String certificate(X509Certificate certificate) {
        return TestPki.pem(certificate);
    }

    /** SHA-1 of the DER encoding, upper-case hex: APIM's thumbprint. */
    public static String sha1(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
