package dev.certgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.outbound.PoolStats;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.PatternStream;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bodies stream both ways, never held whole: 100 MiB each way intact, chunked framing, 100-continue, events one by one. */
class StreamingTest {
    private static final long HUNDRED_MIB = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");

    private static MtlsBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        gateway = GatewayHarness.start(TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .api("stream", "stream", backend.url(), inbound(AuthenticationCertificate.byId("client")))
                .api("plain", "plain", backend.plainUrl(), inbound())
                .api("impatient", "impatient", backend.url(), TestConfig.policy(
                        List.of(AuthenticationCertificate.byId("client")), List.of(new ForwardRequest(1, false)), List.of()))
                .snapshot());
        gateway.key(TestConfig.key("client", CLIENT));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void aHundredMebibyteUploadArrivesIntact() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/stream/upload"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(HUNDRED_MIB)), HUNDRED_MIB))
                .build();
        assertUploaded(gateway.send(request), HUNDRED_MIB);
        assertThat(backend.lastRequest().header("Content-Length")).isEqualTo(Long.toString(HUNDRED_MIB));
    }

    @Test
    void uploadsLargerThanTheBodyBufferReachAPlainHttpBackEndIntact() throws Exception {
        // A plain socket takes all that was read at once, so the reader must read on by itself: the container, still
        // ready, does not call back, and the back end's connection, with nothing to send, does not ask.
        for (long size : new long[] {16 * 1024 + 1, 100_000, 10L * 1024 * 1024 + 7}) {
            HttpRequest request = HttpRequest.newBuilder(gateway.uri("/plain/upload"))
                    .timeout(java.time.Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size)), size))
                    .build();
            assertUploaded(gateway.send(request), size);
        }
    }

    @Test
    void aChunkedUploadWithExpectContinueArrivesIntact() throws Exception {
        long size = 3L * 1024 * 1024 + 17;
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/stream/upload"))
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size)))
                .build();
        assertUploaded(gateway.send(request), size);
        MtlsBackend.Seen seen = backend.lastRequest();
        assertThat(seen.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(seen.header("Expect")).isNull();
    }

    @Test
    void aHundredMebibyteDownloadArrivesIntact() throws Exception {
        HttpResponse<InputStream> response = gateway.http().send(
                HttpRequest.newBuilder(gateway.uri("/stream/download?bytes=" + HUNDRED_MIB)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(HUNDRED_MIB);
        assertThat(PatternStream.sha256(response.body())).isEqualTo(PatternStream.sha256(HUNDRED_MIB));
    }

    @Test
    void aChunkedDownloadArrivesIntact() throws Exception {
        long size = 5L * 1024 * 1024 + 3;
        HttpResponse<InputStream> response = gateway.http().send(
                HttpRequest.newBuilder(gateway.uri("/stream/download?chunked=true&bytes=" + size)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(PatternStream.sha256(response.body())).isEqualTo(PatternStream.sha256(size));
    }

    @Test
    void serverSentEventsArriveOneByOne() throws Exception {
        backend.sseGate().drainPermits();
        HttpResponse<InputStream> response = gateway.http().send(
                HttpRequest.newBuilder(gateway.uri("/stream/sse?events=3")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int i = 1; i <= 3; i++) {
                // The back end sends event i+1 only after the permit below: reading event i first proves it was flushed.
                assertThat(events.readLine()).isEqualTo("id: " + i);
                assertThat(events.readLine()).isEqualTo("data: event-" + i);
                assertThat(events.readLine()).isEmpty();
                backend.sseGate().release();
            }
            assertThat(events.readLine()).isNull();
        }
    }

    @Test
    void aSmallAnswerOfKnownLengthReachesTheCallerWholeThoughTheBackEndPausedInIt() throws Exception {
        int size = 4000;
        try (Socket caller = new Socket("127.0.0.1", gateway.port())) {
            caller.setSoTimeout(20_000);
            caller.getOutputStream().write(("GET /stream/pause?bytes=" + size + "&ms=300 HTTP/1.1\r\nHost: gateway\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            // The first bytes to arrive already hold the whole body: the gateway did not pass on the first half alone.
            byte[] first = new byte[64 * 1024];
            int n = caller.getInputStream().read(first);
            String head = new String(first, 0, n, StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200");
            byte[] rest = caller.getInputStream().readAllBytes();
            byte[] received = new byte[n + rest.length];
            System.arraycopy(first, 0, received, 0, n);
            System.arraycopy(rest, 0, received, n, rest.length);
            int bodyStart = head.indexOf("\r\n\r\n") + 4;
            assertThat(n - bodyStart).as("body bytes in the first read").isEqualTo(size);
            assertThat(PatternStream.sha256(new ByteArrayInputStream(received, bodyStart, size)))
                    .isEqualTo(PatternStream.sha256(size));
        }
    }

    @Test
    void aBackEndThatStallsAfterTheResponseHasStartedBreaksTheCallersConnection() throws Exception {
        backend.sseGate().drainPermits();
        HttpResponse<InputStream> response = gateway.http().send(
                HttpRequest.newBuilder(gateway.uri("/impatient/sse?events=2")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(events.readLine()).isEqualTo("id: 1");
            // The second event never comes within forward-request's 1 s: the body must not end as if complete.
            assertThatThrownBy(() -> {
                while (events.readLine() != null) {
                    // drain what is left
                }
            }).isInstanceOf(IOException.class);
        } finally {
            backend.sseGate().release();
        }
    }

    @Test
    void anHttp10CallerWhoseAnswerBreaksOffGetsAResetNotACleanEnd() throws Exception {
        backend.sseGate().drainPermits();
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /impatient/sse?events=2 HTTP/1.0\r\nHost: gateway\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            // The answer has no framing: only a reset tells this caller that the second event never came.
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOf(SocketException.class).hasMessageContaining("reset");
        } finally {
            backend.sseGate().release();
        }
    }

    /**
     * On a back-end connection kept alive from an earlier call, HttpClient 5 starts the exchange within its lease and
     * then lost the cancellation: the connection stayed leased until the back end answered or closed it.
     */
    @Test
    void aCallerWhoseBodyBreaksOffOnAKeptAliveBackEndConnectionLeavesNothingLeased() throws Exception {
        assertThat(gateway.get("/stream/warm-up").statusCode()).isEqualTo(200);
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write(("POST /stream/upload HTTP/1.1\r\nHost: gateway\r\nContent-Length: 10\r\n"
                    + "\r\nhello").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            Thread.sleep(300); // the gateway has begun to forward the body
        }

        assertNothingLeasedWithin(Duration.ofSeconds(5));
        assertThat(gateway.get("/stream/after").statusCode()).isEqualTo(200);
    }

    /**
     * A back end that answers before the body has come (a redirect here; Jetty then closes the connection, as RFC 9112
     * 9.5 has it) ends the exchange halfway: HttpClient waits for the body's end after an answer below 400, and its
     * connection stayed leased for good while the caller waited for the release that answers it.
     */
    @Test
    void aBackEndThatAnswersBeforeTheBodyCameAnswersTheCallerAndLeavesNothingLeased() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /stream/redirect?status=307&to=/elsewhere HTTP/1.1\r\nHost: gateway\r\n"
                    + "Content-Length: 8\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(500); // the back end answers the head alone
            out.write("an order".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] head = new byte[12];
            assertThat(socket.getInputStream().readNBytes(head, 0, head.length)).isEqualTo(head.length);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 307");
        }

        assertNothingLeasedWithin(Duration.ofSeconds(5));
        assertThat(gateway.get("/stream/after").statusCode()).isEqualTo(200);
    }

    private static void assertNothingLeasedWithin(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (gateway.pools().stats().stream().anyMatch(pool -> pool.leased() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(gateway.pools().stats()).as("the pools").allSatisfy(pool -> assertThat(pool.leased()).isZero());
    }

    private static void assertUploaded(HttpResponse<String> response, long size) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("bytes").asLong()).isEqualTo(size);
        assertThat(body.get("sha256").asText()).isEqualTo(PatternStream.sha256(size));
    }
}
