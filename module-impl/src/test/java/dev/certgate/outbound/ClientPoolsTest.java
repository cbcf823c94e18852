package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            CloseableHttpClient first = pools.clientFor(alpha, TlsSettings.DEFAULT, trusted);
            assertThat(pools.clientFor(TestConfig.key("alpha", ALPHA), TlsSettings.DEFAULT, trusted)).isSameAs(first);
            assertThat(pools.clientFor(TestConfig.key("beta", BETA), TlsSettings.DEFAULT, trusted)).isNotSameAs(first);
            assertThat(pools.clientFor(alpha, new TlsSettings(false, true), trusted)).isNotSameAs(first);
            assertThat(pools.clientFor(alpha, TlsSettings.DEFAULT, List.of())).isNotSameAs(first);
            assertThat(pools.clientFor(null, TlsSettings.DEFAULT, trusted)).isNotSameAs(first);
            assertThat(pools.stats()).hasSize(5);
        }
    }

    @Test
    void statsNameASharedCertificateByItsFirstIdAndCountHandshakes() throws Exception {
        try (ClientPools pools = new ClientPools(PoolSettings.DEFAULTS)) {
            try (ClientPools.Lease lease = pools.lease(TestConfig.key("zeta", ALPHA), TlsSettings.DEFAULT, trusted)) {
                assertThat(get(lease.client(), "/stats")).isEqualTo(200);
                assertThat(get(lease.client(), "/stats")).isEqualTo(200);
            }
            pools.lease(TestConfig.key("alpha", ALPHA), TlsSettings.DEFAULT, trusted).close();
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
    void removingAnAuthorityClosesThePoolsThatTrustedIt() throws Exception {
        try (ClientPools pools = new ClientPools(PoolSettings.DEFAULTS)) {
            KeyMaterial alpha = TestConfig.key("alpha", ALPHA);
            CloseableHttpClient client;
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
                Duration.ofSeconds(5));
        try (ClientPools pools = new ClientPools(quick)) {
            try (ClientPools.Lease lease = pools.lease(TestConfig.key("alpha", ALPHA), TlsSettings.DEFAULT, trusted)) {
                assertThat(get(lease.client(), "/idle")).isEqualTo(200);
            }
            assertThat(pools.stats()).singleElement().extracting(PoolStats::available).isEqualTo(1);
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

    private static int get(CloseableHttpClient client, String path) throws Exception {
        return client.execute(new HttpGet(backend.url() + path), response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
    }

    private static boolean isClosed(CloseableHttpClient client) {
        try {
            get(client, "/probe");
            return false;
        } catch (IllegalStateException e) {
            return true; // "Connection pool shut down"
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 15 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
