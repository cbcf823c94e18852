package dev.certgate.certs;

import dev.certgate.testsupport.TestKeyFiles;
import dev.certgate.testsupport.TestPki;
import dev.certgate.testsupport.TestPki.Issued;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.BERSequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.misc.ScryptParams;
import org.bouncycastle.asn1.pkcs.AuthenticatedSafe;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PBMAC1Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.UnaryOperator;

import static dev.certgate.certs.CertificateImporterTest.assertRefused;
import static dev.certgate.testsupport.TestKeyFiles.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Files built to make the importer work for hours are refused before any key derivation starts. */
class HostileImportTest {
    private static final String PASSWORD = "pw-hostile";
    private static final Issued CLIENT = TestPki.client(TestPki.ca("CN=Hostile CA"), "hostile");
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final AlgorithmIdentifier HMAC_SHA256 =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);

    /**
     * The bound is about key derivation, not class loading: one ordinary import first, so the first timed test
     * does not also pay for loading and compiling the parsers (seconds on a busy 2-core machine).
     */
    @BeforeAll
    static void warmUp() {
        CertificateImporter.importFile(ascii(TestPki.pem(CLIENT.certificate()),
                TestKeyFiles.scryptPkcs8(CLIENT.privateKey(), PASSWORD, 1 << 10, 8, 1)), PASSWORD.toCharArray());
        CertificateImporter.importFile(TestKeyFiles.legacyPkcs12(CLIENT, PASSWORD), PASSWORD.toCharArray());
    }

    @Test
    void aPfxWhoseMacAsksForTwoBillionIterations() {
        Pfx pfx = Pfx.getInstance(TestKeyFiles.legacyPkcs12(CLIENT, PASSWORD));
        MacData mac = pfx.getMacData();
        byte[] hostile = encode(new Pfx(pfx.getAuthSafe(), new MacData(mac.getMac(), mac.getSalt(), Integer.MAX_VALUE)));

        assertTimeoutPreemptively(BOUND, () -> assertRefused(
                () -> CertificateImporter.importFile(hostile, PASSWORD.toCharArray()), "iterations", PASSWORD));
    }

    @Test
    void aPfxWithoutMacWhoseCertificatesAskForTwoBillionIterations() {
        Pfx pfx = Pfx.getInstance(TestKeyFiles.legacyPkcs12(CLIENT, PASSWORD));
        ContentInfo[] infos = AuthenticatedSafe.getInstance(
                ASN1OctetString.getInstance(pfx.getAuthSafe().getContent()).getOctets()).getContentInfo();
        ASN1EncodableVector rewritten = new ASN1EncodableVector();
        for (ContentInfo info : infos) {
            if (info.getContentType().equals(PKCSObjectIdentifiers.encryptedData)) {
                EncryptedData data = EncryptedData.getInstance(info.getContent());
                PKCS12PBEParams params = PKCS12PBEParams.getInstance(data.getEncryptionAlgorithm().getParameters());
                AlgorithmIdentifier costly = new AlgorithmIdentifier(data.getEncryptionAlgorithm().getAlgorithm(),
                        new PKCS12PBEParams(params.getIV(), Integer.MAX_VALUE));
                info = new ContentInfo(PKCSObjectIdentifiers.encryptedData,
                        new EncryptedData(data.getContentType(), costly, data.getContent()));
            }
            rewritten.add(info);
        }
        ContentInfo authSafe = new ContentInfo(PKCSObjectIdentifiers.data,
                new DEROctetString(encode(new BERSequence(rewritten))));
        byte[] hostile = encode(new Pfx(authSafe, null));

        assertTimeoutPreemptively(BOUND, () -> assertRefused(
                () -> CertificateImporter.importFile(hostile, PASSWORD.toCharArray()), "iterations", PASSWORD));
    }

    @Test
    void anEncryptedPemKeyThatAsksForTwoBillionIterations() throws Exception {
        String pem = TestKeyFiles.encryptedPkcs8(CLIENT.privateKey(), PASSWORD);
        EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(
                new PemReader(new StringReader(pem)).readPemObject().getContent());
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        PBKDF2Params pbkdf2 = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        PBES2Parameters costly = new PBES2Parameters(new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2,
                new PBKDF2Params(pbkdf2.getSalt(), Integer.MAX_VALUE, pbkdf2.getPrf())), pbes2.getEncryptionScheme());
        EncryptedPrivateKeyInfo hostileKey = new EncryptedPrivateKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, costly), info.getEncryptedData());
        byte[] hostile = ascii(TestPki.pem(CLIENT.certificate()), pemOf("ENCRYPTED PRIVATE KEY", encode(hostileKey)));

        assertTimeoutPreemptively(BOUND, () -> assertRefused(
                () -> CertificateImporter.importFile(hostile, PASSWORD.toCharArray()), "iterations", PASSWORD));
    }

    @Test
    void anEncryptedPemKeyWhoseScryptNeedsAGibibyteIsRefusedNamingNAndTheMemory() {
        byte[] hostile = ascii(TestPki.pem(CLIENT.certificate()), TestKeyFiles.scryptPkcs8Claiming(1 << 20, 8, 1));

        String message = assertTimeoutPreemptively(BOUND, () -> assertRefused(
                () -> CertificateImporter.importFile(hostile, PASSWORD.toCharArray()), "N=1048576 r=8", PASSWORD));
        assertThat(message).contains("1 GiB").contains("at most 64 MiB");
    }

    @Test
    void anEncryptedPemKeyWhoseScryptParallelismCostsSecondsIsRefusedNamingP() {
        // 256 MiB and p=16: what cost 12.8 s of CPU per upload (issue 15); p=64 at 16 MiB costs the same work.
        byte[] big = ascii(TestPki.pem(CLIENT.certificate()), TestKeyFiles.scryptPkcs8Claiming(1 << 18, 8, 16));
        byte[] parallel = ascii(TestPki.pem(CLIENT.certificate()), TestKeyFiles.scryptPkcs8Claiming(1 << 14, 8, 64));

        assertTimeoutPreemptively(BOUND, () -> {
            assertThat(assertRefused(() -> CertificateImporter.importFile(big, PASSWORD.toCharArray()),
                    "N=262144 r=8", PASSWORD)).contains("256 MiB");
            assertThat(assertRefused(() -> CertificateImporter.importFile(parallel, null), "N=16384 r=8 p=64",
                    PASSWORD)).contains("N*r*p = 8388608").contains("at most 1048576");
        });
    }

    @Test
    void scryptWithAnImpossibleNIsMalformedNotAWrongPassword() {
        byte[] hostile = ascii(TestPki.pem(CLIENT.certificate()), TestKeyFiles.scryptPkcs8Claiming(1000, 8, 1));

        assertThat(assertRefused(() -> CertificateImporter.importFile(hostile, PASSWORD.toCharArray()), "N=1000",
                PASSWORD)).contains("power of 2").doesNotContainIgnoringCase("password is wrong");
    }

    @Test
    void aPfxWithoutMacWhoseKeyBagAsksScryptForAGibibyte() {
        AlgorithmIdentifier scrypt = pbes2(new KeyDerivationFunc(MiscObjectIdentifiers.id_scrypt,
                new ScryptParams(new byte[16], 1 << 20, 8, 1, 32)));
        byte[] hostile = rewriteWithoutMac(CLIENT.pkcs12(PASSWORD), null, keyBagAlgorithm -> scrypt);

        assertTimeoutPreemptively(BOUND, () -> assertThat(assertRefused(
                () -> CertificateImporter.importFile(hostile, PASSWORD.toCharArray()), "N=1048576 r=8", PASSWORD))
                .contains("1 GiB"));
    }

    @Test
    void aPfxWithoutMacWhosePbes2CertificatesAskPbkdf2ForTwoBillionIterations() {
        AlgorithmIdentifier costly = pbes2(new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2,
                new PBKDF2Params(new byte[16], Integer.MAX_VALUE, HMAC_SHA256)));
        byte[] hostile = rewriteWithoutMac(CLIENT.pkcs12(PASSWORD), certificatesAlgorithm -> costly, null);

        assertTimeoutPreemptively(BOUND, () -> assertRefused(
                () -> CertificateImporter.importFile(hostile, PASSWORD.toCharArray()), "2147483647 iterations",
                PASSWORD));
    }

    @Test
    void aPfxWhosePbmac1AsksForTwoBillionIterationsOrAGigabyteKey() {
        AlgorithmIdentifier iterations = pbmac1(new PBKDF2Params(new byte[16], Integer.MAX_VALUE, 32, HMAC_SHA256));
        AlgorithmIdentifier keyLength = pbmac1(new PBKDF2Params(new byte[16], 1, 1 << 30, HMAC_SHA256));
        Pfx pfx = Pfx.getInstance(CLIENT.pkcs12(PASSWORD));

        for (AlgorithmIdentifier mac : new AlgorithmIdentifier[] {iterations, keyLength}) {
            byte[] hostile = encode(new Pfx(pfx.getAuthSafe(), new MacData(new DigestInfo(mac, new byte[32]),
                    new byte[16], 1)));
            String message = assertTimeoutPreemptively(BOUND, () -> assertRefused(
                    () -> CertificateImporter.importFile(hostile, PASSWORD.toCharArray()), "MAC", PASSWORD));
            assertThat(message).containsAnyOf("2147483647 iterations", "1073741824 bytes");
        }
    }

    @Test
    void truncatedFilesAreRefusedQuickly() {
        byte[] pfx = CLIENT.pkcs12(PASSWORD);
        byte[] pem = ascii(CLIENT.pem());

        assertTimeoutPreemptively(BOUND, () -> {
            for (int length : new int[] {1, 10, pfx.length / 2, pfx.length - 1}) {
                assertRefused(() -> CertificateImporter.importFile(Arrays.copyOf(pfx, length), PASSWORD.toCharArray()),
                        "", PASSWORD);
            }
            assertRefused(() -> CertificateImporter.importFile(Arrays.copyOf(pem, pem.length / 2), null), "", PASSWORD);
        });
        assertThat(pfx.length).isGreaterThan(100);
    }

    private static AlgorithmIdentifier pbes2(KeyDerivationFunc kdf) {
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(kdf,
                new org.bouncycastle.asn1.pkcs.EncryptionScheme(
                        org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(new byte[16]))));
    }

    private static AlgorithmIdentifier pbmac1(PBKDF2Params pbkdf2) {
        return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBMAC1, new PBMAC1Params(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBKDF2, pbkdf2), HMAC_SHA256));
    }

    /**
     * The PFX without its MAC (which would fail after any change), with the encryption algorithm of its
     * encrypted certificates and of its shrouded key bags replaced where a function is given.
     */
    private static byte[] rewriteWithoutMac(byte[] pkcs12, UnaryOperator<AlgorithmIdentifier> certificates,
                                            UnaryOperator<AlgorithmIdentifier> keys) {
        Pfx pfx = Pfx.getInstance(pkcs12);
        ContentInfo[] infos = AuthenticatedSafe.getInstance(
                ASN1OctetString.getInstance(pfx.getAuthSafe().getContent()).getOctets()).getContentInfo();
        ASN1EncodableVector rewritten = new ASN1EncodableVector();
        for (ContentInfo info : infos) {
            if (info.getContentType().equals(PKCSObjectIdentifiers.encryptedData) && certificates != null) {
                EncryptedData data = EncryptedData.getInstance(info.getContent());
                info = new ContentInfo(PKCSObjectIdentifiers.encryptedData, new EncryptedData(data.getContentType(),
                        certificates.apply(data.getEncryptionAlgorithm()), data.getContent()));
            } else if (info.getContentType().equals(PKCSObjectIdentifiers.data) && keys != null) {
                ASN1EncodableVector bags = new ASN1EncodableVector();
                for (ASN1Encodable element : ASN1Sequence.getInstance(
                        ASN1OctetString.getInstance(info.getContent()).getOctets())) {
                    SafeBag bag = SafeBag.getInstance(element);
                    if (bag.getBagId().equals(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag)) {
                        EncryptedPrivateKeyInfo key = EncryptedPrivateKeyInfo.getInstance(bag.getBagValue());
                        bag = new SafeBag(bag.getBagId(), new EncryptedPrivateKeyInfo(
                                keys.apply(key.getEncryptionAlgorithm()), key.getEncryptedData()), bag.getBagAttributes());
                    }
                    bags.add(bag);
                }
                info = new ContentInfo(PKCSObjectIdentifiers.data, new DEROctetString(encode(new DERSequence(bags))));
            }
            rewritten.add(info);
        }
        ContentInfo authSafe = new ContentInfo(PKCSObjectIdentifiers.data,
                new DEROctetString(encode(new BERSequence(rewritten))));
        return encode(new Pfx(authSafe, null));
    }

    private static byte[] encode(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pemOf(String type, byte[] content) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, content));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
