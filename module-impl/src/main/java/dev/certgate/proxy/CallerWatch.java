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
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Notices a caller that closes its connection while its request waits for the back end's answer. An HTTP/1
 * container reads nothing from a connection while a request on it is handled asynchronously, so it would notice
 * only when the answer is written, and the exchange would run (and hold a pooled connection) for nobody. The
 * Servlet API offers nothing for this; on Jetty the caller's socket is reached as {@link CallerResets} does and
 * watched with a selector of our own, once the request has been read whole and until the answer's head arrives.
 * End of stream means the caller left. Anything else the caller sends meanwhile (a pipelined request, a TLS alert)
 * is read and dropped, and the connection is then closed after the answer ({@code Connection: close}), so nothing
 * half-read is ever parsed. Elsewhere (another container, HTTP/2) nothing is watched.
 */
final class CallerWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallerWatch.class);

    /** One request's watch. */
    static final class Watch {
        private final Runnable gone;
        private volatile boolean dropped;
        private volatile SelectionKey key;
        private volatile boolean cancelled;

        private Watch(Runnable gone) {
            this.gone = gone;
        }

        /** True when bytes the caller sent were dropped: the connection must close after the answer. */
        boolean dropped() {
            return dropped;
        }
    }

    private final Selector selector;
    private final Queue<Runnable> changes = new ConcurrentLinkedQueue<>();
    private final ByteBuffer sink = ByteBuffer.allocate(1024); // the selector thread's only
    private final Thread thread;
    private volatile boolean closed;

    CallerWatch() throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, "certgate-caller-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching the caller's connection; null where it cannot be watched. */
    Watch watch(ServletRequest request, Runnable gone) {
        if (closed || !(CallerResets.socket(request) instanceof SocketChannel channel)) {
            return null;
        }
        Watch watch = new Watch(gone);
        changes.add(() -> {
            if (!watch.cancelled && channel.isOpen()) {
                try {
                    watch.key = channel.register(selector, SelectionKey.OP_READ, watch);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Cannot watch the caller's connection", e);
                }
            }
        });
        selector.wakeup();
        return watch;
    }

    /** Stops watching; the selector drops the registration, never touching the channel's other ones. */
    void stop(Watch watch) {
        if (watch == null) {
            return;
        }
        watch.cancelled = true;
        changes.add(() -> {
            SelectionKey key = watch.key;
            if (key != null) {
                key.cancel();
            }
        });
        selector.wakeup();
    }

    private void run() {
        try {
            while (!closed) {
                selector.select();
                for (Runnable change; (change = changes.poll()) != null; ) {
                    change.run();
                }
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    read(key);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.warn("Watching callers' connections stopped", e);
            }
        }
    }

    private void read(SelectionKey key) {
        Watch watch = (Watch) key.attachment();
        if (watch.cancelled || !key.isValid()) {
            key.cancel();
            return;
        }
        try {
            SocketChannel channel = (SocketChannel) key.channel();
            while (true) {
                sink.clear();
                int n = channel.read(sink);
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
