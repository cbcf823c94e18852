package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every handshake a pool makes is reported with the pool's certificate, as made anew or resumed, and every failed
 * one with the error table's reason. On the default provider here, on the JDK's in {@link JdkHandshakeListenerTest}.
 */
class HandshakeListenerTest {
    private static final TestPki.Issued ALPHA = TestCerts.client("alpha");

    private static MtlsBackend backend;
    private static Collection<AuthorityConfig> trusted;

    @BeforeAll
    static void start() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        trusted = TestConfig.create().authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .snapshot().authorities().values();
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void aSecondConnectionResumesTheSessionOfTheFirst() throws Exception {
        RecordedHandshakes recorded = new RecordedHandshakes();
        try (ClientPools pools = new ClientPools(settings())) {
            pools.addHandshakeListener(recorded);
            try (ClientPools.Lease lease = pools.lease(TestConfig.key("alpha", ALPHA), TlsSettings.DEFAULT, trusted)) {
                assertThat(closingGet(lease).getCode()).isEqualTo(200);
                assertThat(closingGet(lease).getCode()).isEqualTo(200);
            }
            String thumbprint = MtlsBackend.thumbprint(ALPHA.certificate());
            assertThat(recorded.events).containsExactly("full alpha " + thumbprint, "resumed alpha " + thumbprint);
            assertThat(pools.stats().get(0).handshakes()).isEqualTo(2);
        }
    }

    @Test
    void aBackEndChainNotTrustedIsReportedAsAValidationFailure() {
        RecordedHandshakes recorded = new RecordedHandshakes();
        try (ClientPools pools = new ClientPools(settings())) {
            pools.addHandshakeListener(recorded);
            try (ClientPools.Lease lease = pools.lease(TestConfig.key("alpha", ALPHA), TlsSettings.DEFAULT, List.of())) {
                assertThatThrownBy(() -> closingGet(lease)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(javax.net.ssl.SSLException.class);
            }
            assertThat(recorded.events).containsExactly("failed alpha " + MtlsBackend.thumbprint(ALPHA.certificate())
                    + " BackendTlsValidationFailed");
        }
    }

    @Test
    void aBackEndThatRefusesTheCertificateIsReportedAsAHandshakeFailure() {
        TestPki.Issued stranger = TestPki.issue(TestPki.ca("CN=Stranger CA"),
                TestPki.spec().subject("CN=stranger").clientAuth().ec());
        RecordedHandshakes recorded = new RecordedHandshakes();
        try (ClientPools pools = new ClientPools(settings())) {
            pools.addHandshakeListener(recorded);
            try (ClientPools.Lease lease = pools.lease(TestConfig.key("stranger", stranger), TlsSettings.DEFAULT,
                    trusted)) {
                assertThatThrownBy(() -> closingGet(lease)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(java.io.IOException.class);
            }
            // Under TLS 1.3 the refusal may come after the client's side of the handshake is done (then a reset).
            assertThat(recorded.events).first().asString()
                    .matches("(failed stranger \\w+ BackendTlsHandshakeFailed|full stranger \\w+)");
        }
    }

    PoolSettings settings() {
        return PoolSettings.DEFAULTS;
    }

    /** A GET whose connection is not kept, so that the next one makes a new connection. */
    private static SimpleHttpResponse closingGet(ClientPools.Lease lease) throws Exception {
        SimpleHttpRequest get = SimpleRequestBuilder.get(backend.url() + "/h").setHeader("Connection", "close").build();
        return lease.client().execute(get, null).get(15, TimeUnit.SECONDS);
    }
}
