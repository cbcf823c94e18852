package dev.certgate.it.launcher;

import dev.certgate.it.support.KeptAliveAnswers;
import dev.certgate.testsupport.RawHttp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --request-head-timeout}: a caller that sends its request line and header fields a byte at a time (slowloris)
 * loses its connection at the deadline, although every byte restarts Jetty's 30 s idle timeout, while other callers
 * are served and a kept-alive connection may wait longer than the deadline between its requests. Raw sockets: an
 * HTTP client sends a head in one go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherSlowHeadIT {
    private static final Pattern CLOSED_LOG = Pattern.compile(
            "Closed \\d+ connection\\(s\\) whose request head took longer than 2 s");
    private static final int HEAD_TIMEOUT_SECONDS = 2;
    /** Far below Jetty's 30 s idle timeout, which a byte every 200 ms never reaches. */
    private static final long TRICKLE_LIMIT_MILLIS = 12_000;
    private static final String HEALTH = "GET /status-0123456789abcdef HTTP/1.1\r\nHost: gateway\r\n\r\n";

    @TempDir
    static Path directory;

    private ConsoleProcess gateway;
    private int port;

    @BeforeAll
    void start() throws Exception {
        gateway = LaunchedGateway.start(directory,
                List.of("--request-head-timeout", Integer.toString(HEAD_TIMEOUT_SECONDS)), Map.of());
        port = gateway.awaitReady().getPort();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aHeadSentAByteAtATimeLosesItsConnectionAtTheDeadlineWhileOthersAreServed() throws Exception {
        try (Socket slow = connect()) {
            long started = System.nanoTime();
            Trickle trickle = trickle(slow, "GET /status-0123456789abcdef HTTP/1.1\r\nHost: gateway\r\nX-Slow: "
                    + "a".repeat(200), () -> {
                RawHttp.Response other = RawHttp.exchange(port, "GET /status-0123456789abcdef HTTP/1.1\n"
                        + "Host: gateway\nConnection: close\n\n");
                assertThat(other.status()).as("another caller, while the slow one trickles").isEqualTo(200);
            });
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

            assertThat(trickle.closed()).as("connection closed by the gateway within " + TRICKLE_LIMIT_MILLIS
                    + " ms of trickling").isTrue();
            assertThat(millis).as("closed after the deadline, not before").isGreaterThanOrEqualTo(
                    HEAD_TIMEOUT_SECONDS * 1000L);
            assertThat(trickle.answer()).as("nothing is answered: there is no request yet").isEmpty();
        }
        gateway.awaitLine(CLOSED_LOG, Duration.ofSeconds(10));
    }

    @Test
    void blankLinesSentBeforeARequestLineCountTowardsTheDeadline() throws Exception {
        // HTTP/1.1 lets a server skip empty lines before the request line; sent slowly they must not hold a
        // connection either (the parser stays where it waits between requests while it skips them).
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            assertThat(health(out, in)).as("a request first: blank lines after it, on a kept-alive connection")
                    .isEqualTo(200);
            long started = System.nanoTime();

            Trickle trickle = trickle(socket, "\r\n", () -> { });
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

            assertThat(trickle.closed()).as("blank lines trickled for " + TRICKLE_LIMIT_MILLIS + " ms").isTrue();
            assertThat(millis).as("closed after the deadline, not before").isGreaterThanOrEqualTo(
                    HEAD_TIMEOUT_SECONDS * 1000L);
            assertThat(trickle.answer()).isEmpty();
        }
        try (Socket fresh = connect()) {
            assertThat(trickle(fresh, "\r\n", () -> { }).closed()).as("on a new connection too").isTrue();
        }
    }

    @Test
    void oneBlankLineAfterARequestDoesNotCostAKeptAliveConnectionItsWait() throws Exception {
        // Some clients end a request with one more CRLF, then wait for their next request as long as they like.
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            assertThat(health(out, in)).isEqualTo(200);
            Thread.sleep(1200); // past a sweep, so that the blank line is seen apart from the request
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(HEAD_TIMEOUT_SECONDS * 1000L + 2500);

            assertThat(health(out, in)).as("the same connection, past the deadline after its blank line")
                    .isEqualTo(200);
        }
    }

    @Test
    void aKeptAliveConnectionMayWaitLongerThanTheDeadlineForItsNextRequestButItsNextHeadHasOneToo()
            throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();

            assertThat(health(out, in)).isEqualTo(200);
            Thread.sleep(HEAD_TIMEOUT_SECONDS * 1000L + 1500);
            assertThat(health(out, in)).as("the same connection after waiting past the deadline").isEqualTo(200);

            Trickle trickle = trickle(socket, "GET /status-0123456789abcdef HTTP/1.1\r\nX-Slow: "
                    + "b".repeat(200), () -> { });
            assertThat(trickle.closed()).as("a later head on a kept-alive connection has the deadline too").isTrue();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(200);
        return socket;
    }

    private record Trickle(boolean closed, String answer) {
    }

    /**
     * Sends {@code head} a byte every 200 ms (never its end) until the gateway closes the connection or
     * {@link #TRICKLE_LIMIT_MILLIS} pass; {@code meanwhile} runs once, after the first second.
     */
    private static Trickle trickle(Socket socket, String head, ThrowingRunnable meanwhile) throws Exception {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + Duration.ofMillis(TRICKLE_LIMIT_MILLIS).toNanos();
        boolean ranMeanwhile = false;
        long started = System.nanoTime();
        for (int i = 0; System.nanoTime() < deadline; i = (i + 1) % head.length()) {
            try {
                out.write(head.charAt(i));
                out.flush();
                int read = in.read(); // waits up to the socket's 200 ms timeout
                if (read < 0) {
                    return new Trickle(true, answer.toString(StandardCharsets.ISO_8859_1));
                }
                answer.write(read);
            } catch (SocketTimeoutException stillOpen) {
                // the gateway neither answered nor closed: go on
            } catch (IOException reset) {
                return new Trickle(true, answer.toString(StandardCharsets.ISO_8859_1));
            }
            if (!ranMeanwhile && System.nanoTime() - started > Duration.ofSeconds(1).toNanos()) {
                meanwhile.run();
                ranMeanwhile = true;
            }
        }
        return new Trickle(false, answer.toString(StandardCharsets.ISO_8859_1));
    }

    /** Asks for the health probe on a kept-alive connection; its status. */
    private static int health(OutputStream out, InputStream in) throws IOException {
        out.write(HEALTH.getBytes(StandardCharsets.ISO_8859_1));
        return KeptAliveAnswers.readStatus(in);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
