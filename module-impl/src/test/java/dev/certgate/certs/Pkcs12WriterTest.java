package dev.certgate.certs;

import dev.certgate.testsupport.TestPki;
import dev.certgate.testsupport.TestPki.Issued;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pkcs12WriterTest {
    private static final char[] PASSWORD = "0123456789abcdef0123456789abcdef".toCharArray();
    private static final Issued ROOT = TestPki.ca("CN=Writer Root");
    private static final Issued INTERMEDIATE = TestPki.issue(ROOT, TestPki.spec().subject("CN=Writer Intermediate").ca());
    private static final Issued CLIENT = TestPki.client(INTERMEDIATE, "writer-client");

    @Test
    void theJdkOpensItWithTheKeyAndTheWholeChainLeafFirst() throws Exception {
        byte[] written = Pkcs12Writer.write(CLIENT.privateKey(), CLIENT.chain(), "c1", PASSWORD);

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(written), PASSWORD);
        assertThat(store.aliases().nextElement()).isEqualTo("c1");
        assertThat(((PrivateKey) store.getKey("c1", PASSWORD)).getEncoded()).isEqualTo(CLIENT.privateKey().getEncoded());
        assertThat(Arrays.asList(store.getCertificateChain("c1"))).containsExactlyElementsOf(CLIENT.chain());
    }

    @Test
    void anotherPasswordDoesNotOpenIt() {
        byte[] written = Pkcs12Writer.write(CLIENT.privateKey(), CLIENT.chain(), "c1", PASSWORD);

        assertThatThrownBy(() -> KeyStore.getInstance("PKCS12")
                .load(new ByteArrayInputStream(written), "not-the-password".toCharArray()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void keyAndCertificatesUseAes256Pbes2AndTheMacHmacSha256() throws Exception {
        PKCS12PfxPdu pfx = new PKCS12PfxPdu(Pkcs12Writer.write(CLIENT.privateKey(), CLIENT.chain(), "c1", PASSWORD));

        assertThat(pfx.getMacAlgorithmID().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_sha256);
        for (ContentInfo info : pfx.getContentInfos()) {
            if (info.getContentType().equals(PKCSObjectIdentifiers.encryptedData)) {
                assertAes256Pbes2(EncryptedData.getInstance(info.getContent()).getEncryptionAlgorithm());
            } else {
                for (var bag : new PKCS12SafeBagFactory(info).getSafeBags()) {
                    assertThat(bag.getBagValue()).isInstanceOf(PKCS8EncryptedPrivateKeyInfo.class);
                    assertAes256Pbes2(((PKCS8EncryptedPrivateKeyInfo) bag.getBagValue()).getEncryptionAlgorithm());
                }
            }
        }
    }

    @Test
    void theImporterReadsBackWhatWasWritten() {
        byte[] written = Pkcs12Writer.write(CLIENT.privateKey(), CLIENT.chain(), "c1", PASSWORD);

        ImportedCertificate read = CertificateImporter.readPkcs12(written, PASSWORD);

        assertThat(read.chain()).isEqualTo(List.copyOf(CLIENT.chain()));
        assertThat(read.privateKey().getEncoded()).isEqualTo(CLIENT.privateKey().getEncoded());
    }

    private static void assertAes256Pbes2(AlgorithmIdentifier algorithm) {
        assertThat(algorithm.getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
        EncryptionScheme scheme = PBES2Parameters.getInstance(algorithm.getParameters()).getEncryptionScheme();
        assertThat(scheme.getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);
    }
}
