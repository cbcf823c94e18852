package dev.certgate.certs;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.testsupport.TestKeyFiles;
import dev.certgate.testsupport.TestPki;
import dev.certgate.testsupport.TestPki.Issued;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.pkcs.jcajce.JcePBMac1CalculatorBuilder;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

import static dev.certgate.testsupport.TestKeyFiles.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CertificateImporterTest {
    private static final String PASSWORD = "Upload-Secret-42";
    private static final Issued ROOT = TestPki.ca("CN=Importer Root");
    private static final Issued INTERMEDIATE = TestPki.issue(ROOT, TestPki.spec().subject("CN=Importer Intermediate").ca());
    private static final Issued RSA_CLIENT = TestPki.client(INTERMEDIATE, "rsa-client");
    private static final Issued EC_CLIENT = TestPki.issue(ROOT, TestPki.spec().subject("CN=ec-client").ec().clientAuth());

    @Test
    void modernPkcs12WithTheWholeChain() {
        ImportedCertificate imported = CertificateImporter.importFile(RSA_CLIENT.pkcs12(PASSWORD), PASSWORD.toCharArray());

        assertSameAs(imported, RSA_CLIENT);
    }

    @Test
    void modernPkcs12WithAnEcKey() {
        assertSameAs(CertificateImporter.importFile(EC_CLIENT.pkcs12(PASSWORD), PASSWORD.toCharArray()), EC_CLIENT);
    }

    @Test
    void legacyPkcs12WithTripleDesKeyRc2CertificatesAndSha1Mac() {
        byte[] legacy = TestKeyFiles.legacyPkcs12(RSA_CLIENT, PASSWORD);

        assertSameAs(CertificateImporter.importFile(legacy, PASSWORD.toCharArray()), RSA_CLIENT);
    }

    @Test
    void pkcs12WithAPbmac1Mac() throws Exception {
        // RFC 9579, as OpenSSL 3.4 writes with -pbmac1_pbkdf2: the MAC key comes from PBKDF2.
        Pfx pfx = Pfx.getInstance(RSA_CLIENT.pkcs12(PASSWORD));
        MacCalculator mac = new JcePBMac1CalculatorBuilder("HmacSHA256", 256).setIterationCount(10_000)
                .setProvider(Bc.PROVIDER).build(PASSWORD.toCharArray());
        try (OutputStream out = mac.getOutputStream()) {
            out.write(ASN1OctetString.getInstance(pfx.getAuthSafe().getContent()).getOctets());
        }
        byte[] file = new Pfx(pfx.getAuthSafe(), new MacData(new DigestInfo(mac.getAlgorithmIdentifier(), mac.getMac()),
                new byte[8], 1)).getEncoded();

        assertSameAs(CertificateImporter.importFile(file, PASSWORD.toCharArray()), RSA_CLIENT);
        assertRefused(() -> CertificateImporter.importFile(file, "Wrong-Guess-7".toCharArray()), "password is wrong",
                "Wrong-Guess-7");
    }

    @Test
    void pemWithPlainPkcs8Key() {
        byte[] pem = ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()), TestKeyFiles.pkcs8(RSA_CLIENT.privateKey()));

        assertSameAs(CertificateImporter.importFile(pem, null), RSA_CLIENT);
    }

    @Test
    void aKeyOnACurveJavaCannotSignWithIsRefusedAsSuchNotAsAMismatch() {
        Issued k1 = TestPki.issue(ROOT, TestPki.spec().subject("CN=k1-client").secp256k1().clientAuth());
        byte[] pem = ascii(TestKeyFiles.certificates(k1.chain()), TestKeyFiles.pkcs8(k1.privateKey()));

        CertgateException refused = catchThrowableOfType(CertgateException.class,
                () -> CertificateImporter.importFile(pem, null));

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).contains("elliptic curve").contains("P-256");
        assertThat(refused.details()).extracting(d -> d.code()).containsExactly("UnsupportedKey");
    }

    @Test
    void pemSavedWithAByteOrderMarkReadsWhole() {
        // Windows editors save UTF-8 with a BOM; left in, it hid the first block (the certificate, or the key).
        byte[] certificateFirst = withBom(ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()),
                TestKeyFiles.pkcs8(RSA_CLIENT.privateKey())));
        byte[] keyFirst = withBom(ascii(TestKeyFiles.pkcs8(EC_CLIENT.privateKey()),
                TestKeyFiles.certificates(EC_CLIENT.chain())));

        assertSameAs(CertificateImporter.importFile(certificateFirst, null), RSA_CLIENT);
        assertSameAs(CertificateImporter.importFile(keyFirst, null), EC_CLIENT);
    }

    private static byte[] withBom(byte[] data) {
        byte[] result = new byte[data.length + 3];
        result[0] = (byte) 0xEF;
        result[1] = (byte) 0xBB;
        result[2] = (byte) 0xBF;
        System.arraycopy(data, 0, result, 3, data.length);
        return result;
    }

    @Test
    void pemWithEncryptedPkcs8Key() {
        byte[] pem = ascii(TestKeyFiles.encryptedPkcs8(EC_CLIENT.privateKey(), PASSWORD),
                TestKeyFiles.certificates(EC_CLIENT.chain()));

        assertSameAs(CertificateImporter.importFile(pem, PASSWORD.toCharArray()), EC_CLIENT);
    }

    @Test
    void pemWithAScryptEncryptedKeyAtOpenSslsDefaultsAndAtTheBounds() {
        // openssl pkcs8 -topk8 -scrypt writes N=16384 r=8 p=1 (16 MiB); 64 MiB and N*r*p = 2^20 are the bounds.
        for (int[] nrp : new int[][] {{16384, 8, 1}, {65536, 8, 2}, {16384, 8, 8}}) {
            byte[] pem = ascii(TestKeyFiles.certificates(EC_CLIENT.chain()),
                    TestKeyFiles.scryptPkcs8(EC_CLIENT.privateKey(), PASSWORD, nrp[0], nrp[1], nrp[2]));

            assertSameAs(CertificateImporter.importFile(pem, PASSWORD.toCharArray()), EC_CLIENT);
        }
    }

    @Test
    void pemWithPkcs1AndSec1Keys() {
        byte[] rsa = ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()), TestKeyFiles.traditional(RSA_CLIENT.keyPair()));
        byte[] ec = ascii(TestKeyFiles.certificates(EC_CLIENT.chain()), TestKeyFiles.traditional(EC_CLIENT.keyPair()));

        assertThat(new String(rsa, StandardCharsets.US_ASCII)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(new String(ec, StandardCharsets.US_ASCII)).contains("BEGIN EC PRIVATE KEY");
        assertSameAs(CertificateImporter.importFile(rsa, new char[0]), RSA_CLIENT);
        assertSameAs(CertificateImporter.importFile(ec, null), EC_CLIENT);
    }

    @Test
    void pemWithLegacyOpenSslEncryptedKeys() {
        String rsaKey = TestKeyFiles.encryptedTraditional(RSA_CLIENT.keyPair(), PASSWORD);
        String ecKey = TestKeyFiles.encryptedTraditional(EC_CLIENT.keyPair(), PASSWORD);

        assertThat(rsaKey).contains("Proc-Type: 4,ENCRYPTED");
        assertSameAs(CertificateImporter.importFile(ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()), rsaKey),
                PASSWORD.toCharArray()), RSA_CLIENT);
        assertSameAs(CertificateImporter.importFile(ascii(ecKey, TestKeyFiles.certificates(EC_CLIENT.chain())),
                PASSWORD.toCharArray()), EC_CLIENT);
    }

    @Test
    void pemWithTextAroundTheBlocksAsOpenSslWritesIt() {
        byte[] pem = ascii("Bag Attributes\n    friendlyName: client\nsubject=CN = rsa-client\n",
                TestKeyFiles.certificates(RSA_CLIENT.chain()), "Key Attributes: <No Attributes>\n",
                TestKeyFiles.pkcs8(RSA_CLIENT.privateKey()));

        assertSameAs(CertificateImporter.importFile(pem, null), RSA_CLIENT);
    }

    @Test
    void theChainIsOrderedByIssuerLinksWhateverTheFileOrder() {
        List<X509Certificate> shuffled = List.of(ROOT.certificate(), RSA_CLIENT.certificate(), INTERMEDIATE.certificate());
        byte[] pem = ascii(TestKeyFiles.pkcs8(RSA_CLIENT.privateKey()), TestKeyFiles.certificates(shuffled));
        byte[] pfx = TestKeyFiles.legacyPkcs12(List.of(RSA_CLIENT.privateKey()), shuffled, PASSWORD);

        assertThat(CertificateImporter.importFile(pem, null).chain())
                .containsExactly(RSA_CLIENT.certificate(), INTERMEDIATE.certificate(), ROOT.certificate());
        assertThat(CertificateImporter.importFile(pfx, PASSWORD.toCharArray()).chain())
                .containsExactly(RSA_CLIENT.certificate(), INTERMEDIATE.certificate(), ROOT.certificate());
    }

    @Test
    void certificatesOffTheLeafsChainAreLeftOut() {
        Issued stranger = TestPki.ca("CN=Unrelated CA");
        byte[] pem = ascii(TestKeyFiles.certificates(List.of(stranger.certificate(), RSA_CLIENT.certificate())),
                TestKeyFiles.pkcs8(RSA_CLIENT.privateKey()));

        ImportedCertificate imported = CertificateImporter.importFile(pem, null);

        assertThat(imported.chain()).containsExactly(RSA_CLIENT.certificate());
        assertThat(imported.leftOut()).containsExactly(stranger.certificate());
    }

    @Test
    void wrongPasswordIsRefusedForEveryEncryptedForm() {
        byte[] modern = RSA_CLIENT.pkcs12(PASSWORD);
        byte[] legacy = TestKeyFiles.legacyPkcs12(RSA_CLIENT, PASSWORD);
        byte[] pkcs8 = ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()),
                TestKeyFiles.encryptedPkcs8(RSA_CLIENT.privateKey(), PASSWORD));
        byte[] openssl = ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()),
                TestKeyFiles.encryptedTraditional(RSA_CLIENT.keyPair(), PASSWORD));

        for (byte[] file : List.of(modern, legacy, pkcs8, openssl)) {
            assertRefused(() -> CertificateImporter.importFile(file, "Wrong-Guess-7".toCharArray()), "password is wrong",
                    "Wrong-Guess-7");
        }
    }

    @Test
    void aLegacyPfxWithOpenSslsEmptyPasswordIsReadWithoutPassword() {
        // "\0" derives the same keys as OpenSSL's empty password (openssl pkcs12 -export -legacy -passout pass:).
        byte[] legacy = TestKeyFiles.legacyPkcs12(RSA_CLIENT, "\0");

        assertSameAs(CertificateImporter.importFile(legacy, null), RSA_CLIENT);
        assertSameAs(CertificateImporter.importFile(legacy, new char[0]), RSA_CLIENT);
    }

    @Test
    void aModernPfxWithAnEmptyPasswordSaysSoInsteadOfAskingForOne() {
        // The JDK writes what OpenSSL 3 does for -passout pass: (PBES2, and a MAC over the empty password).
        byte[] modern = TestPki.pkcs12(RSA_CLIENT.privateKey(), RSA_CLIENT.chain(), "");

        assertRefused(() -> CertificateImporter.importFile(modern, null), "password is empty", PASSWORD);
    }

    @Test
    void aPasswordProtectedFileUploadedWithoutPasswordIsToldToGiveOne() {
        byte[] modern = RSA_CLIENT.pkcs12(PASSWORD);
        byte[] legacy = TestKeyFiles.legacyPkcs12(RSA_CLIENT, PASSWORD);
        byte[] pkcs8 = ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()),
                TestKeyFiles.encryptedPkcs8(RSA_CLIENT.privateKey(), PASSWORD));
        byte[] openssl = ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()),
                TestKeyFiles.encryptedTraditional(RSA_CLIENT.keyPair(), PASSWORD));

        for (byte[] file : List.of(modern, legacy, pkcs8, openssl)) {
            for (char[] none : new char[][] {null, new char[0]}) {
                CertgateException refusal = catchThrowableOfType(CertgateException.class,
                        () -> CertificateImporter.importFile(file, none));
                assertThat(refusal.getMessage())
                        .isEqualTo("The file is password-protected: give its password in 'password'");
                assertThat(refusal.details()).singleElement().satisfies(detail -> {
                    assertThat(detail.code()).isEqualTo("PasswordRequired");
                    assertThat(detail.target()).isEqualTo("password");
                });
            }
        }
    }

    @Test
    void aFileWithoutAPrivateKeyIsRefused() throws Exception {
        byte[] pem = ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()));
        byte[] pfx = TestKeyFiles.legacyPkcs12(List.of(), RSA_CLIENT.chain(), PASSWORD);
        byte[] der = RSA_CLIENT.certificate().getEncoded();

        for (byte[] file : List.of(pem, pfx, der)) {
            assertRefused(() -> CertificateImporter.importFile(file, PASSWORD.toCharArray()), "no private key", PASSWORD);
        }
    }

    @Test
    void aFileWithTwoPrivateKeysIsRefused() {
        byte[] pem = ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()), TestKeyFiles.pkcs8(RSA_CLIENT.privateKey()),
                TestKeyFiles.pkcs8(EC_CLIENT.privateKey()));
        byte[] pfx = TestKeyFiles.legacyPkcs12(List.of(RSA_CLIENT.privateKey(), EC_CLIENT.privateKey()),
                List.of(RSA_CLIENT.certificate(), EC_CLIENT.certificate()), PASSWORD);

        assertRefused(() -> CertificateImporter.importFile(pem, null), "more than one private key", PASSWORD);
        assertRefused(() -> CertificateImporter.importFile(pfx, PASSWORD.toCharArray()), "more than one private key",
                PASSWORD);
    }

    @Test
    void theSameKeyListedTwiceIsOneKey() {
        byte[] pem = ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()), TestKeyFiles.pkcs8(RSA_CLIENT.privateKey()),
                TestKeyFiles.traditional(RSA_CLIENT.keyPair()));

        assertSameAs(CertificateImporter.importFile(pem, null), RSA_CLIENT);
    }

    @Test
    void aKeyThatMatchesNoCertificateIsRefused() {
        Issued otherRsa = TestPki.client(ROOT, "other-rsa");
        Issued otherEc = TestPki.issue(ROOT, TestPki.spec().subject("CN=other-ec").ec());

        assertRefused(() -> CertificateImporter.importFile(ascii(TestKeyFiles.certificates(RSA_CLIENT.chain()),
                TestKeyFiles.pkcs8(otherRsa.privateKey())), null), "does not match the certificate", PASSWORD);
        assertRefused(() -> CertificateImporter.importFile(ascii(TestKeyFiles.certificates(EC_CLIENT.chain()),
                TestKeyFiles.pkcs8(otherEc.privateKey())), null), "does not match the certificate", PASSWORD);
        assertRefused(() -> CertificateImporter.importFile(ascii(TestKeyFiles.certificates(EC_CLIENT.chain()),
                TestKeyFiles.pkcs8(RSA_CLIENT.privateKey())), null), "does not match the certificate", PASSWORD);
    }

    @Test
    void dataThatIsNotACertificateIsRefused() {
        List<byte[]> notCertificates = List.of(new byte[0], "hello world".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x30, 0x03, 0x02, 0x01, 0x05},
                ascii("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n"),
                ascii("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n"));

        for (byte[] data : notCertificates) {
            assertRefused(() -> CertificateImporter.importFile(data, PASSWORD.toCharArray()), "", PASSWORD);
        }
        assertRefused(() -> CertificateImporter.importFile(ascii(TestKeyFiles.pkcs8(RSA_CLIENT.privateKey())), null),
                "no certificate", PASSWORD);
    }

    private static void assertSameAs(ImportedCertificate imported, Issued expected) {
        assertThat(imported.chain()).containsExactlyElementsOf(expected.chain());
        assertThat(signsFor(imported.privateKey(), expected.keyPair().getPublic())).as("same key").isTrue();
        assertThat(imported.toString()).doesNotContain("exponent");
    }

    /** Encodings differ between PKCS#8 writers (SEC1 inside may carry the curve); what counts is the key. */
    static boolean signsFor(PrivateKey key, PublicKey publicKey) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(new byte[] {1, 2, 3});
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(new byte[] {1, 2, 3});
            return verifier.verify(signer.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 400 that says which problem (its message is returned), and neither the password nor a PEM key label anywhere in the message. */
    static String assertRefused(ThrowingCallable call, String expected, String password) {
        CertgateException refusal = catchThrowableOfType(CertgateException.class, call);
        assertThat(refusal).as("refused").isNotNull();
        assertThat(refusal.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refusal.getMessage()).containsIgnoringCase(expected)
                .doesNotContain(password).doesNotContain("PRIVATE KEY").doesNotContain("-----");
        refusal.details().forEach(detail -> assertThat(detail.message()).doesNotContain(password)
                .doesNotContain("PRIVATE KEY"));
        return refusal.getMessage();
    }
}
