package dev.certgate.outbound;

import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.Test;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BackendCertificateRejectedTest {
    private static final TestPki.Issued CA = TestPki.selfSigned(TestPki.spec().subject("CN=Rejected Test CA").ca().ec());
    private static final CertificateException NO_PATH = new CertificateException("PKIX path building failed",
            new CertPathBuilderException("unable to find valid certification path to requested target"));

    @Test
    void anUntrustedChainNamesWhereItEnds() {
        TestPki.Issued server = TestPki.issue(CA, TestPki.spec().subject("CN=server").dns("server").serverAuth().ec());

        assertThat(BackendCertificateRejected.chain(server.chain().toArray(new X509Certificate[0]), NO_PATH))
                .hasMessage("The back end's certificate chain is not trusted: it ends at \"CN=Rejected Test CA\","
                        + " a self-signed certificate that is neither a JDK trust anchor nor an uploaded authority");
        assertThat(BackendCertificateRejected.chain(new X509Certificate[] {server.certificate()}, NO_PATH))
                .hasMessage("The back end's certificate chain is not trusted: its issuer \"CN=Rejected Test CA\""
                        + " (not sent by the back end) is neither a JDK trust anchor nor an uploaded authority")
                .hasCause(NO_PATH);
    }

    @Test
    void anExpiredCertificateIsNamedWithItsEnd() {
        Instant end = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        TestPki.Issued expired = TestPki.issue(CA, TestPki.spec().subject("CN=old").dns("old").serverAuth().ec()
                .validity(end.minus(30, ChronoUnit.DAYS), end));

        assertThat(BackendCertificateRejected.chain(new X509Certificate[] {expired.certificate()},
                new CertificateException("validity check failed")))
                .hasMessage("The back end's certificate chain is not valid: \"CN=old\" expired on " + end);
    }

    @Test
    void aHostNameMismatchListsTheDnsAndIpNamesTheCertificateHolds() {
        TestPki.Issued server = TestPki.issue(CA, TestPki.spec().subject("CN=elsewhere")
                .dns("elsewhere.example", "other.example").ip("10.1.2.3").serverAuth().ec());

        assertThat(BackendCertificateRejected.hostName("127.0.0.1", server.certificate(), new Exception("mismatch")))
                .hasMessage("The back end's certificate does not name the host \"127.0.0.1\": its DNS names are"
                        + " [elsewhere.example, other.example], its IP addresses [10.1.2.3] (certificate \"CN=elsewhere\")");
    }
}
