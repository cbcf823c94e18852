package dev.certgate.it.launcher;

import dev.certgate.testsupport.RawHttp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A burst of callers connecting at once waits in the kernel's accept queue of the standalone server until it is
 * accepted: the listen backlog is as long as the kernel allows ({@code net.core.somaxconn}). With Jetty's default the
 * JDK's 50 applied, so the kernel dropped the handshakes past the 51st, and those callers waited for their retries (a
 * second, then three) or were reset: 115 of 2,000 event streams opened at once, in the benchmark of issue 16. The
 * gateway is stopped (SIGSTOP) while the callers connect, so that only the queue can hold them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherConnectionBurstIT {
    private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");
    private static final int BURST = 1000;
    /**
     * Far longer than a thousand loopback handshakes take. A handshake the kernel dropped is retried after 1 s and 3 s,
     * but the queue stays full while the gateway is stopped, so waiting longer lets no more in.
     */
    private static final long CONNECT_WAIT_MILLIS = 5_000;

    @TempDir
    static Path directory;

    private ConsoleProcess gateway;
    private InetSocketAddress address;

    @BeforeAll
    void start() throws Exception {
        gateway = LaunchedGateway.start(directory, List.of(), Map.of());
        int port = gateway.awaitReady().getPort();
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aBurstOfCallersWaitsInTheAcceptQueueWhileNothingIsAcceptedAndEveryOneIsAnswered() throws Exception {
        assumeTrue(Files.isReadable(SOMAXCONN), "the kernel's limit is read from Linux's /proc");
        int callers = Math.min(BURST, somaxconn());
        List<SocketChannel> channels = new ArrayList<>();
        try {
            int connected;
            signal("STOP");
            try {
                connected = connectAll(callers, channels);
            } finally {
                signal("CONT");
            }
            assertThat(connected).as("callers whose connection the kernel completed while the gateway accepted nothing")
                    .isEqualTo(callers);
            int answered = 0;
            for (SocketChannel channel : channels) {
                channel.configureBlocking(true);
                if (answer(channel) == 404) {
                    answered++;
                }
            }
            assertThat(answered).as("callers answered once the gateway ran again").isEqualTo(callers);
        } finally {
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
    }

    /** Opens {@code callers} connections at once; answers how many the kernel completed within the wait. */
    private int connectAll(int callers, List<SocketChannel> channels) throws IOException {
        int pending = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < callers; i++) {
                SocketChannel channel = SocketChannel.open();
                channels.add(channel);
                channel.configureBlocking(false);
                if (!channel.connect(address)) {
                    channel.register(selector, SelectionKey.OP_CONNECT);
                    pending++;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_WAIT_MILLIS);
            while (pending > 0 && System.nanoTime() < deadline) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (((SocketChannel) key.channel()).finishConnect()) {
                        key.cancel();
                        pending--;
                    }
                }
                selector.selectedKeys().clear();
            }
        } // closing the selector deregisters the channels, so that they can block again
        return callers - pending;
    }

    /** The kernel's cap on a listen backlog. Read by lines: JDK 17's {@code Files.readString} stops early on /proc. */
    private static int somaxconn() throws IOException {
        return Integer.parseInt(Files.readAllLines(SOMAXCONN).get(0).trim());
    }

    /** The status of the answer to a request on the connection, or 0 where none came. */
    private static int answer(SocketChannel channel) {
        try {
            return RawHttp.exchange(channel.socket(), "GET /burst-check HTTP/1.1\nHost: gateway\nConnection: close\n\n")
                    .status();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(gateway.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + name).isZero();
    }
}
