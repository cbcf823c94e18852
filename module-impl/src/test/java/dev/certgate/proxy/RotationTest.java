package dev.certgate.proxy;

import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.outbound.PoolStats;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/** A certificate replaced under the same id: in-flight requests finish, none fails, the next one presents the new one. */
class RotationTest {
    private static final TestPki.Issued OLD = TestCerts.client("rotating-old");
    private static final TestPki.Issued NEW = TestCerts.client("rotating-new");

    @Test
    void rotationUnderLoadFailsNothingAndTakesEffectForTheNextRequest() throws Exception {
        try (MtlsBackend backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
             GatewayHarness gateway = GatewayHarness.start(config(backend, OLD).snapshot())) {
            gateway.key(TestConfig.key("rotating", OLD));
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger succeeded = new AtomicInteger();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService callers = Executors.newFixedThreadPool(6);
            List<Future<?>> loops = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                String path = t % 2 == 0 ? "/rot/slow?ms=150" : "/rot/fast";
                loops.add(callers.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> response = gateway.get(path);
                        if (response.statusCode() == 200) {
                            succeeded.incrementAndGet();
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    }
                }));
            }
            try {
                awaitSuccesses(succeeded, 30);

                gateway.key(TestConfig.key("rotating", NEW)).snapshot(config(backend, NEW).snapshot());
                HttpResponse<String> next = gateway.get("/rot/right-after");
                assertThat(next.statusCode()).isEqualTo(200);
                assertThat(backend.requests()).filteredOn(s -> s.path().equals("/right-after"))
                        .singleElement().extracting(MtlsBackend.Seen::clientThumbprint)
                        .isEqualTo(MtlsBackend.thumbprint(NEW.certificate()));

                awaitSuccesses(succeeded, succeeded.get() + 30);
            } finally {
                running.set(false);
                for (Future<?> loop : loops) {
                    loop.get();
                }
                callers.shutdownNow();
            }
            assertThat(failures).isEmpty();
            assertThat(backend.requests()).extracting(MtlsBackend.Seen::clientThumbprint)
                    .containsOnly(MtlsBackend.thumbprint(OLD.certificate()), MtlsBackend.thumbprint(NEW.certificate()));

            // The old pool was retired and closes once its last request is done.
            String oldThumbprint = MtlsBackend.thumbprint(OLD.certificate());
            assertThat(gateway.pools().stats()).extracting(PoolStats::thumbprint).doesNotContain(oldThumbprint)
                    .contains(MtlsBackend.thumbprint(NEW.certificate()));
        }
    }

    private static TestConfig config(MtlsBackend backend, TestPki.Issued current) {
        return TestConfig.create()
                .certificate("rotating", current.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .api("rotation", "rot", backend.url(), inbound(AuthenticationCertificate.byId("rotating")));
    }

    private static void awaitSuccesses(AtomicInteger succeeded, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (succeeded.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(succeeded.get()).isGreaterThanOrEqualTo(atLeast);
    }
}
