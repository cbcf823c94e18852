package dev.certgate.certs;

import dev.certgate.testsupport.TestPki;
import dev.certgate.testsupport.TestPki.Issued;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateWarningsTest {
    private static final Issued ROOT = TestPki.ca("CN=Warnings Root");
    private static final Instant NOW = Instant.now();

    @Test
    void aValidClientCertificateWithItsWholeChainHasNoWarnings() {
        assertThat(warnings(TestPki.client(ROOT, "fine"))).isEmpty();
    }

    @Test
    void noExtendedKeyUsageAtAllAllowsEveryUse() {
        assertThat(warnings(TestPki.issue(ROOT, TestPki.spec().subject("CN=no-eku")))).isEmpty();
        assertThat(warnings(TestPki.issue(ROOT, TestPki.spec().subject("CN=any")
                .extendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage)))).isEmpty();
    }

    @Test
    void expired() {
        Issued expired = TestPki.issue(ROOT, TestPki.spec().subject("CN=old").clientAuth()
                .validity(NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(1))));

        assertThat(warnings(expired)).singleElement().asString().contains("expired on");
    }

    @Test
    void notYetValid() {
        Issued future = TestPki.issue(ROOT, TestPki.spec().subject("CN=future").clientAuth()
                .validity(NOW.plus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(300))));

        assertThat(warnings(future)).singleElement().asString().contains("not valid yet");
    }

    @Test
    void expiresWithinThirtyDays() {
        Issued soon = TestPki.issue(ROOT, TestPki.spec().subject("CN=soon").clientAuth()
                .validity(NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(29))));
        Issued later = TestPki.issue(ROOT, TestPki.spec().subject("CN=later").clientAuth()
                .validity(NOW.minus(Duration.ofDays(300)), NOW.plus(Duration.ofDays(31))));

        assertThat(warnings(soon)).singleElement().asString().contains("expires within 30 days");
        assertThat(warnings(later)).isEmpty();
    }

    @Test
    void anExtendedKeyUsageWithoutClientAuth() {
        Issued serverOnly = TestPki.issue(ROOT, TestPki.spec().subject("CN=server-only").serverAuth());

        assertThat(warnings(serverOnly)).singleElement().asString().contains("does not include clientAuth");
    }

    @Test
    void anIncompleteChain() {
        Issued intermediate = TestPki.issue(ROOT, TestPki.spec().subject("CN=Warnings Intermediate").ca());
        Issued leaf = TestPki.client(intermediate, "no-intermediate");
        ImportedCertificate withoutIntermediate = new ImportedCertificate(leaf.privateKey(),
                List.of(leaf.certificate()), List.of());

        assertThat(CertificateWarnings.of(withoutIntermediate, NOW)).singleElement().asString()
                .contains("chain is incomplete").contains("CN=Warnings Intermediate");
    }

    private static List<String> warnings(Issued issued) {
        return CertificateWarnings.of(new ImportedCertificate(issued.privateKey(), issued.chain(), List.of()), NOW);
    }
}
