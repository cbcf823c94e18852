package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.reactor.IOReactorStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Pool identity, statistics and lifecycle: created on first use, retired by configuration, closed when idle. */
class ClientPoolsTest {
    private static final TestPki.Issued ALPHA = TestCerts.client("alpha");
    private static final TestPki.Issued BETA = TestCerts.client("beta");

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
    void onePoolPerCertificateAndTlsSettings() {
        try (ClientPools pools = new ClientPools(PoolSettings.DEFAULTS)) {
            KeyMaterial alpha = TestConfig.key("alpha", ALPHA);
            CloseableHttpAsyncClient first = clientOf(pools, alpha, TlsSettings.DEFAULT, trusted);
            assertThat(clientOf(pools, TestConfig.key("alpha", ALPHA), TlsSettings.DEFAULT, trusted)).isSameAs(first);
            assertThat(clientOf(pools, TestConfig.key("beta", BETA), TlsSettings.DEFAULT, trusted)).isNotSameAs(first);
            assertThat(clientOf(pools, alpha, new TlsSettings(false, true), trusted)).isNotSameAs(first);
            assertThat(clientOf(pools, alpha, TlsSettings.DEFAULT, List.of())).isNotSameAs(first);
            assertThat(clientOf(pools, null, TlsSettings.DEFAULT, trusted)).isNotSameAs(first);
            assertThat(pools.stats()).hasSize(5);
            // what tells the status's rows for one certificate apart
            assertThat(pools.stats()).filteredOn(pool -> "alpha".equals(pool.certificateId()))
                    .extracting(PoolStats::validateCertificateChain, PoolStats::validateCertificateName)
                    .contains(tuple(false, true), tuple(true, true));
        }
    }

    @Test
    void anEd25519CertificateIsPresentedWhateverTheProvider() throws Exception {
        // Conscrypt cannot sign with an EdDSA key and would present no certificate: such a pool uses the JDK's TLS.
        TestPki.Issued edwards = TestPki.issue(TestCerts.CLIENT_CA,
                TestPki.spec().subject("CN=edwards").clientAuth().ed25519());
        try (ClientPools pools = new ClientPools(PoolSettings.DEFAULTS);
             ClientPools.Lease lease = pools.lease(TestConfig.key("edwards", edwards), TlsSettings.DEFAULT, trusted)) {
            assertThat(get(lease.client(), "/edwards")).isEqualTo(200);
            assertThat(backend.requests()).anySatisfy(request -> {
                assertThat(request.path()).isEqualTo("/edwards");
                assertThat(request.clientThumbprint()).isEqualTo(MtlsBackend.thumbprint(edwards.certificate()));
            });
        }
    }

    @Test
    void statsNameASharedCertificateByItsFirstIdAndCountHandshakes() throws Exception {
        try (ClientPools pools = new ClientPools(PoolSettings.DEFAULTS)) {
            try (ClientPools.Lease lease = pools.lease(TestConfig.key("zeta", ALPHA), TlsSettings.DEFAULT, trusted)) {
                assertThat(get(lease.client(), "/stats")).isEqualTo(200);
                // The answer can reach us a moment before HttpClient has put the connection back: wait for it, so
                // that the second request finds it there rather than opening another.
                awaitTrue(() -> pools.stats().get(0).leased() == 0, 5);
                assertThat(get(lease.client(), "/stats")).isEqualTo(200);
            }
            pools.lease(TestConfig.key("alpha", ALPHA), TlsSettings.DEFAULT, trusted).close();
            awaitTrue(() -> pools.stats().get(0).leased() == 0, 5);
            PoolStats stats = pools.stats().get(0);
            assertThat(stats.certificateId()).isEqualTo("alpha");
            assertThat(stats.thumbprint()).isEqualTo(MtlsBackend.thumbprint(ALPHA.certificate()));
            assertThat(stats.handshakes()).isEqualTo(1);
            assertThat(stats.available()).isEqualTo(1);
            assertThat(stats.leased()).isZero();
            assertThat(stats.max()).isEqualTo(PoolSettings.DEFAULTS.maxTotal());
        }
    }

    @Test
    void aRetiredPoolServesItsLeaseToTheEndAndThenCloses() throws Exception {
        try (ClientPools pools = new ClientPools(PoolSettings.DEFAULTS)) {
            KeyMaterial alpha = TestConfig.key("alpha", ALPHA);
            ClientPools.Lease held = pools.lease(alpha, TlsSettings.DEFAULT, trusted);
            assertThat(get(held.client(), "/before")).isEqualTo(200);

            pools.onSnapshot(snapshotWithCertificates("beta", BETA)); // alpha's certificate is gone
            assertThat(pools.stats()).isEmpty();
            pools.sweep();
            assertThat(get(held.client(), "/during")).isEqualTo(200);
            held.close();

            awaitTrue(() -> {
                pools.sweep();
                return isClosed(held.client());
            });
            try (ClientPools.Lease fresh = pools.lease(alpha, TlsSettings.DEFAULT, trusted)) {
                assertThat(fresh.client()).isNotSameAs(held.client());
                assertThat(get(fresh.client(), "/after")).isEqualTo(200);
            }
        }
    }

    @Test
    void eachPoolRunsTheConfiguredNumberOfIoThreads() throws Exception {
        Set<String> before = backendIoThreads();
        try (ClientPools pools = new ClientPools(PoolSettings.DEFAULTS.withIoThreads(3))) {
            try (ClientPools.Lease lease = pools.lease(TestConfig.key("alpha", ALPHA), TlsSettings.DEFAULT, trusted)) {
                assertThat(get(lease.client(), "/threads")).isEqualTo(200);
            }
            Set<String> started = backendIoThreads();
            started.removeAll(before);
            assertThat(started).hasSize(3 + 1); // and HttpClient's thread that started the reactor, idle from then on
        }
    }

    private static Set<String> backendIoThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.startsWith("certgate-backend-io-"))
                .collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void removingAnAuthorityClosesThePoolsThatTrustedIt() throws Exception {
        try (ClientPools pools = new ClientPools(PoolSettings.DEFAULTS)) {
            KeyMaterial alpha = TestConfig.key("alpha", ALPHA);
            CloseableHttpAsyncClient client;
            try (ClientPools.Lease lease = pools.lease(alpha, TlsSettings.DEFAULT, trusted)) {
                client = lease.client();
                assertThat(get(client, "/trusted")).isEqualTo(200);
            }
            pools.onSnapshot(TestConfig.create().certificate("alpha", ALPHA.certificate()).snapshot());
            awaitTrue(() -> {
                pools.sweep();
                return isClosed(client);
            });
        }
    }

    @Test
    void idleConnectionsAndIdlePoolsAreClosed() throws Exception {
        PoolSettings quick = new PoolSettings(4, 8, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(300),
                Duration.ofSeconds(5), 1, BackendTlsProvider.choose(null));
        try (ClientPools pools = new ClientPools(quick)) {
            try (ClientPools.Lease lease = pools.lease(TestConfig.key("alpha", ALPHA), TlsSettings.DEFAULT, trusted)) {
                assertThat(get(lease.client(), "/idle")).isEqualTo(200);
            }
            awaitTrue(() -> pools.stats().get(0).available() == 1, 10);
            awaitTrue(() -> {
                pools.sweep();
                return pools.stats().isEmpty() || pools.stats().get(0).available() == 0;
            });
            awaitTrue(() -> {
                pools.sweep();
                return pools.stats().isEmpty();
            });
        }
    }

    @Test
    void closedPoolsRefuseNewClients() {
        ClientPools pools = new ClientPools(PoolSettings.DEFAULTS);
        pools.close();
        assertThatThrownBy(() -> pools.lease(null, TlsSettings.DEFAULT, List.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    private static GatewaySnapshot snapshotWithCertificates(String id, TestPki.Issued certificate) {
        return TestConfig.create().certificate(id, certificate.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate()).snapshot();
    }

    private static CloseableHttpAsyncClient clientOf(ClientPools pools, KeyMaterial key, TlsSettings tls,
                                                     Collection<AuthorityConfig> authorities) {
        try (ClientPools.Lease lease = pools.lease(key, tls, authorities)) {
            return lease.client();
        }
    }

    private static int get(CloseableHttpAsyncClient client, String path) throws Exception {
        return client.execute(SimpleRequestProducer.create(SimpleRequestBuilder.get(backend.url() + path).build()),
                SimpleResponseConsumer.create(), null).get(15, TimeUnit.SECONDS).getCode();
    }

    private static boolean isClosed(CloseableHttpAsyncClient client) {
        return client.getStatus() != IOReactorStatus.ACTIVE;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        awaitTrue(condition, 50);
    }

    private static void awaitTrue(BooleanSupplier condition, long pollMillis) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 15 s").isLessThan(deadline);
            Thread.sleep(pollMillis);
        }
    }
}
