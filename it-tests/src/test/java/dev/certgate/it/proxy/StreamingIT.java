package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.PatternStream;
import dev.certgate.testsupport.TestCerts;

import com.fasterxml.jackson.databind.JsonNode;

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

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

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
        HttpResponse<String> response = caller().send(caller().request("stream/upload")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(HUNDRED_MIB)), HUNDRED_MIB))
                .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode received = Caller.json(response.body());
        assertThat(received.path("bytes").asLong()).isEqualTo(HUNDRED_MIB);
        assertThat(received.path("sha256").asText()).isEqualTo(PatternStream.sha256(HUNDRED_MIB));
    }

    @Test
    void aHundredMebibyteDownloadArrivesIntact() {
        HttpResponse<InputStream> response = caller().send(
                caller().request("stream/download?bytes=" + HUNDRED_MIB).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(HUNDRED_MIB);
        assertThat(PatternStream.sha256(response.body())).isEqualTo(PatternStream.sha256(HUNDRED_MIB));
    }

    @Test
    void serverSentEventsArriveOneByOne() throws Exception {
        BACKEND.sseGate().drainPermits();
        HttpResponse<InputStream> response = caller().send(caller().request("stream/sse?events=3").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int i = 1; i <= 3; i++) {
                // The back end writes event i+1 only after this permit: reading event i first proves it was flushed.
                assertThat(events.readLine()).isEqualTo("id: " + i);
                assertThat(events.readLine()).isEqualTo("data: event-" + i);
                assertThat(events.readLine()).isEmpty();
                BACKEND.sseGate().release();
            }
            assertThat(events.readLine()).isNull();
        }
    }
}
