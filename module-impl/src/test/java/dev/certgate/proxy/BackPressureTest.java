package dev.certgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.SetHeader;
import dev.certgate.outbound.PoolSettings;
import dev.certgate.outbound.PoolStats;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limits that shed load instead of queueing it: a bounded wait for a pooled connection (503
 * BackendPoolExhausted) and a cap on requests in flight (503 TooManyRequestsInFlight), both with Retry-After.
 */
class BackPressureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");
    private static final Duration LEASE_TIMEOUT = Duration.ofMillis(300);

    private MtlsBackend backend;
    private GatewayHarness gateway;

    @BeforeEach
    void startBackend() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    @Test
    void aRequestThatFindsNoFreeConnectionWithinTheLeaseTimeoutIs503BackendPoolExhausted() throws Exception {
        gateway = start(PoolSettings.DEFAULTS.withMaxConnections(1).withLeaseTimeout(LEASE_TIMEOUT), 10);
        CompletableFuture<HttpResponse<String>> holder = holdTheOnlyConnection();

        long start = System.nanoTime();
        HttpResponse<String> refused = gateway.get("/api/refused");
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertRetryLater(refused, "BackendPoolExhausted");
        assertThat(waited).isGreaterThanOrEqualTo(LEASE_TIMEOUT).isLessThan(Duration.ofSeconds(2));
        assertThat(backend.requests()).extracting(MtlsBackend.Seen::path).doesNotContain("/refused");
        assertThat(holder.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // Nothing left waiting: the connection serves the next request.
        assertThat(gateway.pools().stats()).extracting(PoolStats::pending).containsOnly(0);
        assertThat(gateway.get("/api/after").statusCode()).isEqualTo(200);
    }

    @Test
    void onErrorPoliciesSeeRetryAfterOnAPoolExhaustedAnswer() throws Exception {
        PolicyDocument overridden = new PolicyDocument(List.of(AuthenticationCertificate.byId("client")), List.of(),
                List.of(), List.of(new SetHeader("Retry-After", ExistsAction.OVERRIDE, List.of("7"))));
        gateway = GatewayHarness.start(TestConfig.create()
                        .certificate("client", CLIENT.certificate())
                        .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                        .api("api", "api", backend.url(), overridden)
                        .snapshot(), PoolSettings.DEFAULTS.withMaxConnections(1).withLeaseTimeout(LEASE_TIMEOUT),
                TrustedProxies.NONE, 10)
                .key(TestConfig.key("client", CLIENT));
        CompletableFuture<HttpResponse<String>> holder = holdTheOnlyConnection();

        HttpResponse<String> refused = gateway.get("/api/refused");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().allValues("Retry-After")).containsExactly("7");
        assertThat(holder.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestBeyondTheCapIs503TooManyRequestsInFlightAtOnceAndTheHealthProbeIsNotCounted() throws Exception {
        gateway = start(PoolSettings.DEFAULTS, 1);
        CompletableFuture<HttpResponse<String>> admitted = gateway.http().sendAsync(
                java.net.http.HttpRequest.newBuilder(gateway.uri("/api/slow?ms=2000")).build(),
                HttpResponse.BodyHandlers.ofString());
        await(() -> backend.requests().size() == 1);

        long start = System.nanoTime();
        HttpResponse<String> refused = gateway.get("/api/refused");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertRetryLater(refused, "TooManyRequestsInFlight");
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertThat(gateway.get(ProxyCore.STATUS_PATH).statusCode()).isEqualTo(200);
        assertThat(backend.requests()).hasSize(1);
        assertThat(admitted.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void everyRequestLeavesTheCapHoweverItEnds() {
        gateway = start(PoolSettings.DEFAULTS, 1);

        assertThat(gateway.get("/nothing-here/x").statusCode()).isEqualTo(404);
        assertThat(gateway.get("/api/status/502").statusCode()).isEqualTo(502);
        assertThat(gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/api/x"))
                .header("Via", "1.1 " + GatewayHarness.VIA_PSEUDONYM).build()).statusCode()).isEqualTo(508);
        assertThat(gateway.get("/bug/x").statusCode()).isEqualTo(500);

        assertThat(gateway.get("/api/x").statusCode()).isEqualTo(200);
    }

    private GatewayHarness start(PoolSettings pools, int maxInFlight) {
        return GatewayHarness.start(TestConfig.create()
                        .certificate("client", CLIENT.certificate())
                        .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                        .api("api", "api", backend.url(), inbound(AuthenticationCertificate.byId("client")))
                        .api("bug", "bug", backend.url(), inbound(AuthenticationCertificate.byId("broken")))
                        .snapshot(), pools, TrustedProxies.NONE, maxInFlight)
                .key(TestConfig.key("client", CLIENT))
                .brokenKey("broken", new IllegalStateException("a bug"));
    }

    /** A slow call that holds the pool's one connection until the back end answers, in 2 s. */
    private CompletableFuture<HttpResponse<String>> holdTheOnlyConnection() {
        CompletableFuture<HttpResponse<String>> holder = gateway.http().sendAsync(
                java.net.http.HttpRequest.newBuilder(gateway.uri("/api/slow?ms=2000")).build(),
                HttpResponse.BodyHandlers.ofString());
        await(() -> backend.requests().size() == 1);
        return holder;
    }

    private static void assertRetryLater(HttpResponse<String> response, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().allValues("Retry-After")).containsExactly("1");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("statusCode").asInt()).isEqualTo(503);
        assertThat(error.get("reason").asText()).isEqualTo(reason);
        assertThat(error.get("requestId").asText()).isNotBlank();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 10 s").isLessThan(deadline);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
