package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Poll;
import dev.certgate.testsupport.TestCerts;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies that break off, in either direction, must never look complete on the other side: a caller's body
 * that fails or ends early aborts the back-end exchange (the back end never receives a completed request), and
 * a back-end body that fails resets the caller's connection (never a clean end). Raw sockets on both sides:
 * an HTTP client or server would tidy exactly what these tests look at.
 */
@ExtendWith(ArquillianExtension.class)
class BrokenBodiesIT {
    /** Records each request; answers only one it received whole, so a completed request is visible. */
    private static final RawTlsBackend.Conversation RECORD = (socket, in, out, received) -> {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            received.write(buffer, 0, n);
            if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
        }
    };
    private static final RawTlsBackend BREAKS_OFF = RawTlsBackend.start(TestCerts.server(), BrokenAnswers.BREAK_OFF);

    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(BrokenBodiesIT.class);
        return CertgateWar.forClass(BrokenBodiesIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BREAKS_OFF.close();
    }

    @BeforeEach
    void configure() {
        if (!configured) {
            GatewaySetup setup = new GatewaySetup(base);
            setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
            setup.api("breaks-off", "breaks-off", BREAKS_OFF.url());
            configured = true;
        }
    }

    @Test
    void aCompleteChunkedUploadReachesTheBackEndComplete() throws IOException {
        try (RawTlsBackend recorder = recorder("whole")) {
            String answer = exchange("POST " + path("whole/x") + " HTTP/1.1\r\nHost: gateway\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n3\r\nwor\r\n0\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 200");
            assertThat(Http1Messages.read(onlyConnection(recorder).text()).messages().get(0).body()).isEqualTo("hellowor");
        }
    }

    @Test
    void aChunkedUploadCutOffByTheCallerNeverReachesTheBackEndComplete() throws IOException {
        try (RawTlsBackend recorder = recorder("cut")) {
            sendAndClose("POST " + path("cut/x") + " HTTP/1.1\r\nHost: gateway\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nwor");

            assertAborted(onlyConnection(recorder));
        }
    }

    @Test
    void aGarbageChunkHeaderAfterAValidChunkNeverReachesTheBackEndComplete() throws IOException {
        try (RawTlsBackend recorder = recorder("garbage")) {
            String answer = exchange("POST " + path("garbage/x") + " HTTP/1.1\r\nHost: gateway\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n",
                    "ZZZ\r\nwor\r\n0\r\n\r\n");

            assertThat(answer).doesNotStartWith("HTTP/1.1 200");
            assertAborted(onlyConnection(recorder));
        }
    }

    @Test
    void aContentLengthUploadCutShortNeverReachesTheBackEndComplete() throws IOException {
        try (RawTlsBackend recorder = recorder("short")) {
            sendAndClose("POST " + path("short/x") + " HTTP/1.1\r\nHost: gateway\r\n"
                    + "Content-Length: 100\r\n\r\nhello");

            assertAborted(onlyConnection(recorder));
        }
    }

    @Test
    void anHttp10CallerSeesAResetWhenTheBackEndsChunkedBodyBreaksOff() throws IOException {
        assertCallerReset("GET " + path("breaks-off/chunked") + " HTTP/1.0\r\nHost: gateway\r\n\r\n");
    }

    @Test
    void aConnectionCloseCallerSeesAResetWhenTheBackEndsChunkedBodyBreaksOff() throws IOException {
        assertCallerReset("GET " + path("breaks-off/chunked") + " HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aCallerSeesAResetWhenTheBackEndsBodyOfKnownLengthBreaksOff() throws IOException {
        assertCallerReset("GET " + path("breaks-off/sized") + " HTTP/1.0\r\nHost: gateway\r\n\r\n");
    }

    private void assertCallerReset(String request) throws IOException {
        BrokenAnswers.assertCallerReset(base, request);
    }

    /**
     * The gateway dropped its connection to the back end (a reset), which never saw a terminating chunk nor a whole
     * Content-Length body. (It usually sees nothing at all: the gateway had the request's head still buffered.)
     */
    private static void assertAborted(RawTlsBackend.Received seen) {
        assertThat(complete(seen.text())).as("a completed request reached the back end: " + seen).isFalse();
        assertThat(seen.end()).as(seen.toString()).startsWith("reset");
    }

    /** A recording back end of this test's own, behind an API at {@code apiPath}. */
    private RawTlsBackend recorder(String apiPath) {
        RawTlsBackend recorder = RawTlsBackend.start(TestCerts.server(), RECORD);
        new GatewaySetup(base).api(apiPath, apiPath, recorder.url());
        return recorder;
    }

    /** The one connection the recorder had, once it has ended. */
    private static RawTlsBackend.Received onlyConnection(RawTlsBackend recorder) {
        List<RawTlsBackend.Received> all = Poll.until(Duration.ofSeconds(20), recorder::received, list -> !list.isEmpty());
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** A request the back end received whole: its chunked body's last chunk, or its Content-Length in bytes. */
    private static boolean complete(String text) {
        return !Http1Messages.read(text).messages().isEmpty();
    }

    private String path(String relative) {
        String context = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        return context + relative;
    }

    /** Writes the request, then closes the connection at once without reading. */
    private void sendAndClose(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            sleep(500); // the gateway has connected to the back end and is reading the body
        }
    }

    /**
     * Writes the request, its {@code later} part once the gateway is forwarding the first, and reads the answer to
     * the end of the connection.
     */
    private String exchange(String request, String... later) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            for (String part : later) {
                sleep(500);
                out.write(part.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                RawTlsBackend.readToEnd(socket.getInputStream(), answer);
            } catch (IOException e) {
                // what arrived before a reset is the answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
