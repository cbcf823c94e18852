package dev.certgate.x509;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.testsupport.TestKeyFiles;
import dev.certgate.testsupport.TestPki;
import dev.certgate.testsupport.TestPki.Issued;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.certgate.testsupport.TestKeyFiles.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthorityCertificatesTest {
    private static final Issued CA = TestPki.ca("CN=Authority CA");

    @Test
    void pemAndDerGiveTheSameCertificate() throws Exception {
        assertThat(AuthorityCertificates.parse(ascii(TestPki.pem(CA.certificate())))).isEqualTo(CA.certificate());
        assertThat(AuthorityCertificates.parse(CA.certificate().getEncoded())).isEqualTo(CA.certificate());
    }

    @Test
    void pemSavedWithAByteOrderMarkParses() {
        byte[] pem = ascii(TestPki.pem(CA.certificate()));
        byte[] withBom = new byte[pem.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(pem, 0, withBom, 3, pem.length);

        assertThat(AuthorityCertificates.parse(withBom)).isEqualTo(CA.certificate());
    }

    @Test
    void storedFormIsPemThatParsesBack() {
        byte[] pem = AuthorityCertificates.pem(CA.certificate());

        assertThat(new String(pem, StandardCharsets.US_ASCII)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(AuthorityCertificates.parse(pem)).isEqualTo(CA.certificate());
    }

    @Test
    void aFileCarryingAPrivateKeyIsRefusedInEveryForm() {
        byte[][] withKeys = {
                ascii(TestPki.pem(CA.certificate()), TestKeyFiles.pkcs8(CA.privateKey())),
                ascii(TestKeyFiles.traditional(CA.keyPair()), TestPki.pem(CA.certificate())),
                ascii(TestKeyFiles.encryptedPkcs8(CA.privateKey(), "pw-123")),
                CA.privateKey().getEncoded(),
                CA.pkcs12("pw-123"),
        };
        for (byte[] data : withKeys) {
            CertgateException refusal = catchThrowableOfType(CertgateException.class, () -> AuthorityCertificates.parse(data));
            assertThat(refusal.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(refusal.getMessage()).contains("private key").doesNotContain("PRIVATE KEY").doesNotContain("pw-123");
        }
    }

    @Test
    void moreThanOneCertificateOrNoneIsRefused() {
        Issued other = TestPki.ca("CN=Other CA");

        assertRefused(ascii(TestPki.pem(CA.certificate(), other.certificate())), "2 certificates");
        assertRefused(new byte[0], "empty");
        assertRefused("not a certificate".getBytes(StandardCharsets.US_ASCII), "not a certificate");
        assertRefused(ascii("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"), "malformed");
    }

    private static void assertRefused(byte[] data, String expected) {
        CertgateException refusal = catchThrowableOfType(CertgateException.class, () -> AuthorityCertificates.parse(data));
        assertThat(refusal.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refusal.getMessage()).contains(expected);
    }
}
