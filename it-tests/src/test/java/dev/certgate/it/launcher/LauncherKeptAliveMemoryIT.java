package dev.certgate.it.launcher;

import dev.certgate.it.support.KeptAliveAnswers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kept-alive callers cost the standalone gateway little heap while they wait between requests. Jetty keeps a header
 * cache per connection, built at its second request: a trie of 1,024 rows, 100 KiB of heap for as long as the
 * connection lives (in the benchmark of issue 16, 1,000 callers held 100 MB of a 512 MiB heap with it). The launcher
 * turns it off. Here 800 callers make two requests each and then, all of them open at once, a third, in a 48 MiB
 * heap: the cache alone would need 78 MiB, and the gateway, stopped at its first {@link OutOfMemoryError}, would answer
 * none of the third round.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherKeptAliveMemoryIT {
    private static final int CALLERS = 800;
    private static final List<String> SMALL_HEAP = List.of("-Xmx48m", "-XX:+ExitOnOutOfMemoryError");
    /** Header fields a browser or an HTTP library sends on every request: the ones Jetty's cache would keep. */
    private static final String REQUEST = "GET /status-0123456789abcdef HTTP/1.1\r\nHost: gateway\r\n"
            + "User-Agent: kept-alive-check/1.0\r\nAccept: application/json\r\nAccept-Encoding: gzip, deflate\r\n"
            + "Accept-Language: en-GB,en;q=0.9\r\n\r\n";

    @TempDir
    static Path directory;

    private ConsoleProcess gateway;
    private int port;

    @BeforeAll
    void start() throws Exception {
        gateway = LaunchedGateway.start(directory, SMALL_HEAP, List.of(), Map.of());
        port = gateway.awaitReady().getPort();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void eightHundredKeptAliveCallersAreAllServedAgainFromA48MibHeap() throws Exception {
        List<Socket> callers = new ArrayList<>();
        try {
            int servedTwice = 0;
            while (servedTwice < CALLERS && gateway.isAlive()) {
                Socket caller = new Socket(InetAddress.getLoopbackAddress(), port);
                callers.add(caller);
                if (ask(caller) != 200 || ask(caller) != 200) {
                    break; // the rest would fail the same way, each after its timeout
                }
                servedTwice++;
            }
            assertThat(servedTwice).as(() -> "callers served twice on one connection; " + gatewayState())
                    .isEqualTo(CALLERS);
            int servedAgain = 0;
            for (Socket caller : callers) {
                if (ask(caller) == 200) {
                    servedAgain++;
                }
            }
            assertThat(servedAgain).as(() -> "callers served again while all " + CALLERS + " stay connected; "
                    + gatewayState()).isEqualTo(CALLERS);
        } finally {
            for (Socket caller : callers) {
                caller.close();
            }
        }
    }

    /** The answer's status, or 0 when the connection ended first (as when the gateway stopped). */
    private static int ask(Socket caller) throws IOException {
        caller.setSoTimeout(20_000);
        OutputStream out = caller.getOutputStream();
        try {
            out.write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return KeptAliveAnswers.readStatus(caller.getInputStream());
        } catch (SocketException | AssertionError ended) {
            return 0;
        }
    }

    /** Whether the gateway still runs, after a moment to end in if a caller just lost its connection. */
    private String gatewayState() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try {
            while (gateway.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (gateway.isAlive()) {
            return "the gateway runs";
        }
        String[] lines = gateway.output().strip().split("\n");
        return "the gateway stopped, saying last: " + lines[lines.length - 1];
    }
}
