package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Poll;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, back-pressure: with two connections per pool, a two-second lease wait and four requests in flight
 * (context parameters), callers of a back end that takes six seconds beyond what the gateway admits are answered
 * 503 with Retry-After long before it answers, while the admitted ones succeed; the admin API and the health
 * probe still answer at the cap.
 */
@ExtendWith(ArquillianExtension.class)
class SaturationIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static final Duration BACK_END_TAKES = Duration.ofSeconds(6);
    private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(2);

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(SaturationIT.class);
        return CertgateWar.forClass(SaturationIT.class, Map.of(
                "certgate.pool.maxConnections", "2",
                "certgate.pool.leaseTimeout", Long.toString(LEASE_TIMEOUT.toSeconds()),
                "certgate.maxRequestsInFlight", "4"));
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    /** One call as its caller saw it, timed from when it was sent. */
    private record Outcome(HttpResponse<String> response, Duration took) {
        int status() {
            return response.statusCode();
        }

        String reason() {
            return response.statusCode() == 200 ? null : Caller.json(response.body()).path("reason").asText();
        }
    }

    @Test
    void callersBeyondThePoolAndTheCapGet503QuicklyWithRetryAfterWhileTheAdmittedOnesSucceed() throws Exception {
        GatewaySetup setup = new GatewaySetup(base);
        setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
        setup.certificate("client", TestCerts.client("saturation"));
        setup.apiPresenting("slow", "slow", BACKEND.url(), "client");
        BACKEND.reset();

        ExecutorService callers = Executors.newCachedThreadPool();
        try {
            // Four admitted: two hold the pool's connections, two wait for one.
            List<CompletableFuture<Outcome>> admitted = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                admitted.add(call(callers, "slow/slow?ms=" + BACK_END_TAKES.toMillis() + "&caller=" + i));
            }
            Poll.until(Duration.ofSeconds(10), () -> pool(setup),
                    pool -> pool.path("leased").asInt() == 2 && pool.path("pending").asInt() == 2);

            // At the cap: four more are refused at once; the health probe and the admin API are not counted.
            List<CompletableFuture<Outcome>> excess = new ArrayList<>();
            for (int i = 4; i < 8; i++) {
                excess.add(call(callers, "slow/slow?ms=" + BACK_END_TAKES.toMillis() + "&caller=" + i));
            }
            assertThat(new Caller(base).get("status-0123456789abcdef").statusCode()).isEqualTo(200);
            assertThat(setup.admin().get("status").status()).isEqualTo(200);

            for (CompletableFuture<Outcome> call : excess) {
                Outcome outcome = call.get(30, TimeUnit.SECONDS);
                assertRetryLater(outcome, "TooManyRequestsInFlight");
                assertThat(outcome.took()).as("refused at once").isLessThan(Duration.ofSeconds(1));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (CompletableFuture<Outcome> call : admitted) {
                outcomes.add(call.get(30, TimeUnit.SECONDS));
            }
            List<Outcome> exhausted = outcomes.stream().filter(o -> o.status() != 200).toList();
            assertThat(exhausted).as("those that waited for a connection").hasSize(2);
            for (Outcome outcome : exhausted) {
                assertRetryLater(outcome, "BackendPoolExhausted");
                assertThat(outcome.took()).as("after the lease wait, well before the back end answers")
                        .isGreaterThanOrEqualTo(LEASE_TIMEOUT.minusMillis(100))
                        .isLessThan(BACK_END_TAKES.minusSeconds(2));
            }
            assertThat(outcomes).filteredOn(o -> o.status() == 200).as("those that had a connection").hasSize(2);
            assertThat(BACKEND.requests()).as("only the admitted calls with a connection reached the back end")
                    .hasSize(2);
        } finally {
            callers.shutdownNow();
        }

        // Everything was handed back: nothing leased or waiting, and the gateway admits calls again.
        Poll.until(Duration.ofSeconds(5), () -> pool(setup),
                pool -> pool.path("leased").asInt() == 0 && pool.path("pending").asInt() == 0);
        assertThat(new Caller(base).echo("slow/after").path("path").asText()).isEqualTo("/after");
    }

    private CompletableFuture<Outcome> call(ExecutorService callers, String path) {
        return CompletableFuture.supplyAsync(() -> {
            long sent = System.nanoTime();
            HttpResponse<String> response = new Caller(base).get(path);
            return new Outcome(response, Duration.ofNanos(System.nanoTime() - sent));
        }, callers);
    }

    private static void assertRetryLater(Outcome outcome, String reason) {
        HttpResponse<String> response = outcome.response();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(outcome.reason()).isEqualTo(reason);
        assertThat(response.headers().allValues("Retry-After")).containsExactly("1");
        JsonNode error = Caller.json(response.body());
        assertThat(error.path("statusCode").asInt()).isEqualTo(503);
        assertThat(error.path("requestId").asText()).isNotBlank();
    }

    /** The API's pool as /admin/status shows it (a missing node until the first call made it). */
    private static JsonNode pool(GatewaySetup setup) {
        return setup.admin().get("status").json().path("pools").path(0);
    }
}
