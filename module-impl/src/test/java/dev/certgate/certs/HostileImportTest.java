package dev.certgate.certs;

import dev.certgate.testsupport.TestKeyFiles;
import dev.certgate.testsupport.TestPki;
import dev.certgate.testsupport.TestPki.Issued;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.BERSequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.AuthenticatedSafe;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;

import static dev.certgate.certs.CertificateImporterTest.assertRefused;
import static dev.certgate.testsupport.TestKeyFiles.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Files built to make the importer work for hours are refused before any key derivation starts. */
class HostileImportTest {
    private static final String PASSWORD = "pw-hostile";
    private static final Issued CLIENT = TestPki.client(TestPki.ca("CN=Hostile CA"), "hostile");
    private static final Duration BOUND = Duration.ofSeconds(5);

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
