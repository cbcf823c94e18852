package dev.certgate.x509;

import dev.certgate.testsupport.TestPki;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbprintsTest {
    private final X509Certificate certificate = TestPki.ca("CN=Thumbprint CA").certificate();

    @Test
    void sha1IsUpperCaseHexOfTheDerEncoding() throws Exception {
        String expected = hex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));

        assertThat(Thumbprints.sha1(certificate)).isEqualTo(expected).hasSize(40).matches("[0-9A-F]+");
    }

    @Test
    void sha256IsUpperCaseHexOfTheDerEncoding() throws Exception {
        String expected = hex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));

        assertThat(Thumbprints.sha256(certificate)).isEqualTo(expected).hasSize(64);
    }

    @Test
    void normalizeAcceptsAnyCaseColonsAndSpaces() {
        String thumbprint = Thumbprints.sha1(certificate);
        StringBuilder colons = new StringBuilder();
        for (int i = 0; i < thumbprint.length(); i += 2) {
            colons.append(i == 0 ? "" : (i % 4 == 0 ? " " : ":")).append(thumbprint, i, i + 2);
        }

        assertThat(Thumbprints.normalize(" " + colons.toString().toLowerCase() + "\t")).isEqualTo(thumbprint);
    }

    @Test
    void normalizeLeavesANormalizedThumbprintAsItIsAndStillUpperCasesMixedInput() {
        String thumbprint = Thumbprints.sha1(certificate);

        assertThat(Thumbprints.normalize(thumbprint)).isSameAs(thumbprint);
        assertThat(Thumbprints.normalize("ab:CD ef")).isEqualTo("ABCDEF");
        assertThat(Thumbprints.normalize("")).isEmpty();
    }

    /** Independent of HexFormat: one byte at a time, as the thumbprint tools print it. */
    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02X", b & 0xff));
        }
        return out.toString();
    }
}
