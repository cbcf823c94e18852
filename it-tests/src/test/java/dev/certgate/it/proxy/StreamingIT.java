package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies stream through the real WAR, never held whole. This class runs in its own Failsafe JVM whose heap is
 * capped below one body (it-tests/pom.xml, execution {@code capped-heap}); the embedded container, the gateway,
 * the back end and this client all live in that JVM, so a gateway that buffered a body would run out of memory.
 */
@Tag("capped-heap")
@ExtendWith(ArquillianExtension.class)
class StreamingIT {
    private static final long HUNDRED_MIB = 100L * 1024 * 1024;
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(StreamingIT.class);
        return CertgateWar.forClass(StreamingIT.class);
    }

    @BeforeAll
    static void theHeapCannotHoldABody() {
        assertThat(Runtime.getRuntime().maxMemory()).as("max heap; run this in the capped-heap execution")
                .isLessThan(HUNDRED_MIB);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void configureAStreamingApi() {
        if (!configured) {
            GatewaySetup setup = new GatewaySetup(base);
            setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
            setup.certificate("client", TestCerts.client("streaming"));
            setup.apiPresenting("stream", "stream", BACKEND.url(), "client");
            configured = true;
        }
    }

    private Caller caller() {
        return new Caller(base);
    }

    @Test
    void aHundredMebibyteUploadArrivesIntact() {
        ForwardingChecks.uploadArrivesIntact(caller(), "stream/upload", HUNDRED_MIB);
    }

    @Test
    void aHundredMebibyteDownloadArrivesIntact() {
        ForwardingChecks.downloadArrivesIntact(caller(), "stream/download", HUNDRED_MIB);
    }

    @Test
    void serverSentEventsArriveOneByOne() throws Exception {
        ForwardingChecks.serverSentEventsArriveOneByOne(caller(), "stream/sse?events=3", BACKEND.sseGate());
    }
}
