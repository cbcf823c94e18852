package dev.certgate.outbound;

import dev.certgate.api.ErrorCode;
import dev.certgate.api.model.TlsSettings;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.proxy.Failures;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.cert.X509Certificate;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS dry run against real back ends: what it sees of the handshake, and that it sends no request. On the default
 * provider here, on the JDK's in {@link JdkTlsProbeTest}.
 */
class TlsProbeTest {
    private static final TlsSettings CHECKED = TlsSettings.DEFAULT;
    private static final TlsSettings UNCHECKED_CHAIN = new TlsSettings(false, true);
    private static final Set<X509Certificate> SERVER_CA = Set.of(TestCerts.SERVER_CA.certificate());

    @Test
    void aBackEndThatAsksForACertificateNamesTheIssuersItAcceptsAndTakesOneOfThem() {
        try (MtlsBackend backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate())) {
            TlsProbeResult probe = probe("localhost", backend.port(), key("accepted", TestCerts.client("ok")),
                    CHECKED, SERVER_CA);

            assertThat(probe.failure()).isNull();
            assertThat(probe.clientCertificateRequested()).isTrue();
            assertThat(probe.acceptedIssuers()).containsExactly(TestCerts.CLIENT_CA.certificate().getSubjectX500Principal());
            assertThat(probe.certificatePresented()).isTrue();
            assertThat(probe.trusted()).isTrue();
            assertThat(probe.authority()).isEqualTo(TestCerts.SERVER_CA.certificate());
            assertThat(probe.nameMatches()).isTrue();
            assertThat(probe.protocol()).startsWith("TLSv1.");
            assertThat(probe.cipherSuite()).startsWith("TLS_");
            assertThat(backend.requests()).isEmpty();
        }
    }

    @Test
    void anEd25519CertificateIsPresented() {
        TestPki.Issued edwards = TestPki.issue(TestCerts.CLIENT_CA,
                TestPki.spec().subject("CN=edwards").clientAuth().ed25519());
        try (MtlsBackend backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate())) {
            TlsProbeResult probe = probe("localhost", backend.port(), key("edwards", edwards), CHECKED, SERVER_CA);

            assertThat(probe.failure()).isNull();
            assertThat(probe.certificatePresented()).isTrue();
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAsACallWouldBe() {
        TestPki.Issued otherCa = TestPki.selfSigned(TestPki.spec().subject("CN=Other Client CA").ca().ec());
        TestPki.Issued stranger = TestPki.issue(otherCa, TestPki.spec().subject("CN=stranger").clientAuth().ec());
        try (MtlsBackend backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate())) {
            TlsProbeResult probe = probe("localhost", backend.port(), key("stranger", stranger), CHECKED,
                    SERVER_CA);

            assertThat(probe.failure()).isNotNull();
            assertThat(Failures.classify(probe.failure())).isEqualTo(ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED);
            assertThat(probe.certificatePresented()).isTrue();
            Throwable deepest = probe.failure();
            while (deepest.getCause() != null) {
                deepest = deepest.getCause();
            }
            // The alert, or "Broken pipe" when the back end closed first: in words either way, never native noise.
            assertThat(TlsErrorText.plain(deepest.getMessage())).as(deepest.getMessage())
                    .doesNotContain("ssl=0x").doesNotContain("(/").doesNotContain("OPENSSL_internal");
            assertThat(backend.requests()).isEmpty();
        }
    }

    @Test
    void withoutACertificateABackEndThatNeedsOneRefuses() {
        try (MtlsBackend backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate())) {
            TlsProbeResult probe = probe("localhost", backend.port(), null, CHECKED, SERVER_CA);

            assertThat(probe.clientCertificateRequested()).isTrue();
            assertThat(probe.certificatePresented()).isFalse();
            assertThat(Failures.classify(probe.failure())).isEqualTo(ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED);
        }
    }

    @Test
    void aSelfSignedBackEndIsUntrustedUnlessChainValidationIsOff() {
        TestPki.Issued selfSigned = TestPki.selfSigned(TestPki.spec().subject("CN=localhost").dns("localhost").ec());
        try (MtlsBackend backend = MtlsBackend.start(selfSigned, false)) {
            TlsProbeResult checked = probe("localhost", backend.port(), null, CHECKED, SERVER_CA);
            TlsProbeResult unchecked = probe("localhost", backend.port(), null, UNCHECKED_CHAIN, SERVER_CA);

            assertThat(Failures.classify(checked.failure())).isEqualTo(ErrorCode.BACKEND_TLS_VALIDATION_FAILED);
            assertThat(checked.chain()).containsExactly(selfSigned.certificate());
            assertThat(checked.trusted()).isFalse();
            assertThat(checked.protocol()).isNull();
            assertThat(unchecked.failure()).isNull();
            assertThat(unchecked.chain()).containsExactly(selfSigned.certificate());
            assertThat(unchecked.trusted()).isFalse();
            assertThat(unchecked.authority()).isNull();
        }
    }

    /**
     * A refused chain ends the handshake before the back end is seen to ask for a certificate (after its chain in
     * TLS 1.2; the client answers after checking it in 1.3): whether it asks is learnt without presenting ours.
     */
    @Test
    void anUntrustedBackEndThatAsksForACertificateIsSeenToAskAndIsNotShownOurs() {
        TestPki.Issued selfSigned = TestPki.selfSigned(TestPki.spec().subject("CN=localhost").dns("localhost").ec());
        try (MtlsBackend backend = MtlsBackend.start(selfSigned, TestCerts.CLIENT_CA.certificate())) {
            TlsProbeResult probe = probe("localhost", backend.port(), key("accepted", TestCerts.client("ok")),
                    CHECKED, SERVER_CA);

            assertThat(Failures.classify(probe.failure())).isEqualTo(ErrorCode.BACKEND_TLS_VALIDATION_FAILED);
            assertThat(probe.trusted()).isFalse();
            assertThat(probe.clientCertificateRequested()).isTrue();
            assertThat(probe.acceptedIssuers()).containsExactly(TestCerts.CLIENT_CA.certificate().getSubjectX500Principal());
            assertThat(probe.certificatePresented()).isFalse();
            assertThat(backend.handshakes()).as("handshakes completed, which needs our certificate").isZero();
        }
    }

    @Test
    void aSelfSignedBackEndUploadedAsAnAuthorityIsTrustedByIt() {
        TestPki.Issued selfSigned = TestPki.selfSigned(TestPki.spec().subject("CN=localhost").dns("localhost").ec());
        try (MtlsBackend backend = MtlsBackend.start(selfSigned, false)) {
            TlsProbeResult probe = probe("localhost", backend.port(), null, CHECKED,
                    Set.of(selfSigned.certificate()));

            assertThat(probe.failure()).isNull();
            assertThat(probe.trusted()).isTrue();
            assertThat(probe.authority()).isEqualTo(selfSigned.certificate());
        }
    }

    @Test
    void aCertificateForAnotherNameFailsTheNameCheckAfterTheHandshake() {
        TestPki.Issued elsewhere = TestPki.issue(TestCerts.SERVER_CA,
                TestPki.spec().subject("CN=elsewhere.example").dns("elsewhere.example").serverAuth().ec());
        try (MtlsBackend backend = MtlsBackend.start(elsewhere, false)) {
            TlsProbeResult checked = probe("localhost", backend.port(), null, CHECKED, SERVER_CA);
            TlsProbeResult unchecked = probe("localhost", backend.port(), null, new TlsSettings(true, false),
                    SERVER_CA);

            assertThat(Failures.classify(checked.failure())).isEqualTo(ErrorCode.BACKEND_TLS_VALIDATION_FAILED);
            assertThat(Failures.message(checked.failure())).contains("does not name the host \"localhost\"")
                    .contains("elsewhere.example");
            assertThat(checked.nameMatches()).isFalse();
            assertThat(checked.trusted()).isTrue();
            assertThat(checked.protocol()).isNotNull();
            assertThat(unchecked.failure()).isNull();
            assertThat(unchecked.nameMatches()).isFalse();
        }
    }

    @Test
    void aBackEndThatAsksForNoCertificateIsNotOfferedOne() {
        try (MtlsBackend backend = MtlsBackend.start(TestCerts.server(), false)) {
            TlsProbeResult probe = probe("localhost", backend.port(), key("unasked", TestCerts.client("x")),
                    CHECKED, SERVER_CA);

            assertThat(probe.failure()).isNull();
            assertThat(probe.clientCertificateRequested()).isFalse();
            assertThat(probe.acceptedIssuers()).isEmpty();
            assertThat(probe.certificatePresented()).isFalse();
        }
    }

    @Test
    void aClosedPortIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        TlsProbeResult probe = probe("127.0.0.1", port, null, CHECKED, SERVER_CA);

        assertThat(Failures.classify(probe.failure())).isEqualTo(ErrorCode.BACKEND_CONNECTION_FAILURE);
        assertThat(probe.chain()).isEmpty();
    }

    BackendTlsProvider provider() {
        return PoolSettings.DEFAULTS.tls();
    }

    private TlsProbeResult probe(String host, int port, KeyMaterial key, TlsSettings tls,
                                 Set<X509Certificate> authorities) {
        return TlsProbe.run(host, port, key, tls, authorities, provider());
    }

    private static KeyMaterial key(String id, TestPki.Issued issued) {
        return new KeyMaterial(id, MtlsBackend.thumbprint(issued.certificate()), issued.privateKey(), issued.chain());
    }
}
