package dev.certgate.launcher.server;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request head (request line and header fields) has been arriving for longer than the
 * deadline. Jetty's idle timeout restarts at every byte, so without this a caller that sends its head a byte at a
 * time holds a connection as long as it likes (slowloris), and a few thousand such callers hold every connection
 * the operating system allows. Only a head that has begun counts: a kept-alive connection waiting for its next
 * request is the idle timeout's business, and a body has {@code certgate.requestBodyTimeout}.
 *
 * <p>Blank lines before a request line, which HTTP/1.1 lets a server skip, count too: the parser skips them where it
 * waits between requests, so a caller sending one every few seconds would otherwise hold its connection for ever.
 *
 * <p>Jetty has no such limit of its own, so this looks at each connection's parser once a second: a connection is
 * closed between its deadline and a second later. Nothing is answered: like nginx's {@code client_header_timeout},
 * there is no request yet to answer.
 */
final class RequestHeadDeadline extends AbstractLifeCycle implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadDeadline.class);
    private static final long SWEEP_MILLIS = 1000;
    /** Addresses named in one log line; an attack closes many connections a second. */
    private static final int LOGGED_ADDRESSES = 5;

    private final AbstractConnector connector;
    private final Duration deadline;
    private final long deadlineNanos;
    private volatile Scheduler.Task next;
    /** Connections waiting between requests, as the last sweep saw them; only the sweep (one at a time) uses it. */
    private Map<HttpConnection, Waiting> waiting = new IdentityHashMap<>();

    /**
     * A connection's parser at {@code START}: requests parsed so far, the time its last bytes began something, since
     * when it has been skipping blank lines without a request coming (0: it is not), and in how many sweeps it got
     * more of them.
     */
    private record Waiting(long requests, long begun, long blankSince, int blankSweeps) {
    }

    RequestHeadDeadline(AbstractConnector connector, Duration deadline) {
        this.connector = connector;
        this.deadline = deadline;
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }

    @Override
    public void run() {
        try {
            closeLateHeads();
        } catch (RuntimeException e) {
            LOG.warn("Checking request heads against their deadline failed", e);
        } finally {
            if (isRunning()) {
                schedule();
            }
        }
    }

    private void schedule() {
        next = connector.getScheduler().schedule(this, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void closeLateHeads() {
        long now = NanoTime.now();
        List<String> closed = new ArrayList<>();
        int count = 0;
        Map<HttpConnection, Waiting> stillWaiting = new IdentityHashMap<>();
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            if (endPoint.getConnection() instanceof HttpConnection connection
                    && (late(connection.getParser(), now) || skippingTooLong(connection, now, stillWaiting))) {
                count++;
                if (closed.size() < LOGGED_ADDRESSES) {
                    closed.add(String.valueOf(endPoint.getRemoteSocketAddress()));
                }
                endPoint.close();
            }
        }
        waiting = stillWaiting;
        if (count > 0) {
            LOG.info("Closed {} connection(s) whose request head took longer than {} s to arrive (slow or stalled"
                    + " callers; --request-head-timeout): {}{}", count, deadline.toSeconds(), String.join(", ", closed),
                    count > closed.size() ? ", ..." : "");
        }
    }

    /**
     * A head has begun (the parser left {@code START}, where it waits between requests) and not ended (it has not
     * reached the body or the end of the request) for longer than the deadline. The parser's fields are read from
     * this thread without a lock: a stale view only delays the decision to a later sweep.
     */
    private boolean late(HttpParser parser, long now) {
        long begun = parser.getBeginNanoTime();
        return parser.inHeaderState() && !parser.isStart() && begun != 0
                && NanoTime.elapsed(begun, now) > deadlineNanos;
    }

    /**
     * A parser at {@code START} moves its begin time with every byte it skips, so bytes that arrived there without a
     * request being parsed since are blank lines (anything else leaves {@code START}); the first sweep that sees
     * them starts their clock, and a request parsed stops it. Blank lines seen in one sweep only are not enough: some
     * clients end a request with one more CRLF, and then wait, kept alive, as long as the idle timeout allows.
     */
    private boolean skippingTooLong(HttpConnection connection, long now, Map<HttpConnection, Waiting> stillWaiting) {
        HttpParser parser = connection.getParser();
        if (!parser.isStart()) {
            return false;
        }
        long requests = connection.getMessagesIn();
        long begun = parser.getBeginNanoTime();
        Waiting before = waiting.get(connection);
        Waiting seen;
        if (before == null) {
            boolean skipping = requests == 0 && begun != 0;
            seen = new Waiting(requests, begun, skipping ? begun : 0, skipping ? 1 : 0);
        } else if (before.requests() != requests) {
            seen = new Waiting(requests, begun, 0, 0);
        } else if (before.begun() != begun) {
            seen = new Waiting(requests, begun, before.blankSince() != 0 ? before.blankSince() : begun,
                    before.blankSweeps() + 1);
        } else {
            seen = before;
        }
        stillWaiting.put(connection, seen);
        return seen.blankSweeps() >= 2 && NanoTime.elapsed(seen.blankSince(), now) > deadlineNanos;
    }
}
