package dev.certgate.proxy;

import jakarta.servlet.ServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Notices a caller that closes its connection while its request waits for the back end's answer. An HTTP/1
 * container reads nothing from a connection while a request on it is handled asynchronously, so it would notice
 * only when the answer is written, and the exchange would run (and hold a pooled connection) for nobody. The
 * Servlet API offers nothing for this; on Jetty the caller's socket is reached as {@link CallerResets} does and
 * watched with a selector of our own, once the request has been read whole and until the answer's head arrives.
 * End of stream means the caller left. Anything else the caller sends meanwhile (a pipelined request, a TLS alert)
 * is read and dropped, and the connection is then closed after the answer ({@code Connection: close}), so nothing
 * half-read is ever parsed. Elsewhere (another container, HTTP/2) nothing is watched.
 * <p>
 * On the hot path this costs one compare-and-set: a request is watched only once it has waited
 * {@value #DELAY_MILLIS} ms, and the selector thread picks new and finished watches up on its own rounds, so a quick
 * answer never wakes it.
 */
final class CallerWatch implements AutoCloseable {
    static final long DELAY_MILLIS = 200;
    private static final long DELAY_NANOS = DELAY_MILLIS * 1_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(CallerWatch.class);

    /** One request's watch. */
    static final class Watch {
        private final Runnable gone;
        private final ServletRequest request;
        private final long startedNanos = System.nanoTime();
        private SocketChannel channel; // the selector thread's
        /** The watch added before this one, while both wait for the selector thread to take them. */
        private Watch next;
        private volatile boolean dropped;
        private volatile boolean stopped;

        private Watch(Runnable gone, ServletRequest request) {
            this.gone = gone;
            this.request = request;
        }

        /** True when bytes the caller sent were dropped: the connection must close after the answer. */
        boolean dropped() {
            return dropped;
        }
    }

    private final Selector selector;
    /**
     * Watches added since the selector thread last took them, newest first: each request pushes one, and the thread
     * takes them all in one exchange (a queue cost a compare-and-set per request on both sides).
     */
    private final AtomicReference<Watch> added = new AtomicReference<>();
    // The selector thread's only.
    private final List<Watch> waiting = new ArrayList<>();
    private final ByteBuffer sink = ByteBuffer.allocate(1024);
    private volatile boolean closed;

    CallerWatch() throws IOException {
        selector = Selector.open();
        Thread thread = new Thread(this::run, "certgate-caller-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching the caller's connection (if it can be watched: its socket is looked up once it waited). */
    Watch watch(ServletRequest request, Runnable gone) {
        if (closed) {
            return null;
        }
        Watch watch = new Watch(gone, request);
        Watch newest;
        do {
            newest = added.get();
            watch.next = newest;
        } while (!added.compareAndSet(newest, watch));
        return watch;
    }

    /**
     * Stops watching. The flag alone keeps the watch from reading from then on (before the caller can have the
     * answer, so never its next request); the selector thread drops the registration on its next round.
     */
    void stop(Watch watch) {
        if (watch != null) {
            watch.stopped = true;
        }
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(DELAY_MILLIS);
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    read(key);
                }
                for (SelectionKey key : selector.keys()) {
                    if (((Watch) key.attachment()).stopped) {
                        key.cancel();
                    }
                }
                register(System.nanoTime());
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.warn("Watching callers' connections stopped", e);
            }
        }
    }

    /** Registers the watches that have waited long enough; forgets stopped ones. */
    private void register(long now) {
        for (Watch watch = added.getAndSet(null); watch != null; ) {
            if (!watch.stopped) { // most requests are answered before a round comes: never list those
                waiting.add(watch);
            }
            Watch older = watch.next;
            watch.next = null;
            watch = older;
        }
        for (Iterator<Watch> it = waiting.iterator(); it.hasNext(); ) {
            Watch watch = it.next();
            if (watch.stopped) {
                it.remove();
            } else if (now - watch.startedNanos >= DELAY_NANOS) {
                it.remove();
                // A request that ended meanwhile may answer anything here; its stopped flag keeps it from reading.
                if (CallerResets.socket(watch.request) instanceof SocketChannel channel && channel.isOpen()) {
                    watch.channel = channel;
                    try {
                        channel.register(selector, SelectionKey.OP_READ, watch);
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("Cannot watch the caller's connection", e);
                    }
                }
            }
        }
    }

    private void read(SelectionKey key) {
        Watch watch = (Watch) key.attachment();
        if (watch.stopped || !key.isValid()) {
            key.cancel();
            return;
        }
        try {
            while (true) {
                sink.clear();
                int n = watch.channel.read(sink);
                if (n < 0) {
                    key.cancel();
                    watch.gone.run();
                    return;
                }
                if (n == 0) {
                    return;
                }
                watch.dropped = true;
            }
        } catch (IOException | RuntimeException e) {
            key.cancel();
            watch.gone.run(); // a reset, or a connection closed under us: the caller is gone either way
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
