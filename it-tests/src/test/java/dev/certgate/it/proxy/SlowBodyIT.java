package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body deadline (issue 16), on both forwarding paths: a caller sending its body a byte a second costs the other
 * callers of its API and of others nothing, ends with 408 {@code RequestBodyTimeout} at the deadline although each
 * byte restarts the container's idle timeout, and leaves no back-end connection leased. Run on the non-blocking path
 * by the default Failsafe execution and on the thread-bound one by {@code blocking-forwarding}.
 */
@ExtendWith(ArquillianExtension.class)
class SlowBodyIT {
    private static final int BODY_DEADLINE_SECONDS = 4;
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(SlowBodyIT.class);
        // Read when the deployment starts; cleared once this class is done.
        System.setProperty("certgate.requestBodyTimeout", String.valueOf(BODY_DEADLINE_SECONDS));
        return CertgateWar.forClass(SlowBodyIT.class);
    }

    @AfterAll
    static void stopBackend() {
        System.clearProperty("certgate.requestBodyTimeout");
        BACKEND.close();
    }

    @BeforeEach
    void configure() {
        if (!configured) {
            GatewaySetup setup = new GatewaySetup(base);
            setup.trustTestServersAndStoreClient(TestCerts.client("slow-body"));
            setup.apiPresenting("orders", "orders", BACKEND.url(), "client");
            setup.apiPresenting("stock", "stock", BACKEND.url(), "client");
            configured = true;
        }
    }

    @Test
    void aCallerSendingItsBodyAtOneBytePerSecondGets408AtTheDeadlineWhileOtherCallersAreServed() throws Exception {
        String context = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        ForwardingChecks.slowBodyGets408AtTheDeadline(base, context + "orders/upload", BODY_DEADLINE_SECONDS, () -> {
            Caller caller = new Caller(base);
            for (int i = 0; i < 5; i++) {
                long sent = System.nanoTime();
                assertThat(caller.echo("orders/" + i).path("path").asText()).isEqualTo("/" + i);
                assertThat(caller.echo("stock/" + i).path("path").asText()).isEqualTo("/" + i);
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("other calls wait for nothing")
                        .isLessThan(Duration.ofSeconds(2));
            }
        });
        ForwardingChecks.assertNothingLeased(new GatewaySetup(base).admin(), "after the body's deadline");
    }
}
