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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request head (request line and header fields) has been arriving for longer than the
 * deadline. Jetty's idle timeout restarts at every byte, so without this a caller that sends its head a byte at a
 * time holds a connection as long as it likes (slowloris), and a few thousand such callers hold every connection
 * the operating system allows. Only a head that has begun counts: a kept-alive connection waiting for its next
 * request is the idle timeout's business, and a body has {@code certgate.requestBodyTimeout}.
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
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            if (endPoint.getConnection() instanceof HttpConnection connection && late(connection.getParser(), now)) {
                count++;
                if (closed.size() < LOGGED_ADDRESSES) {
                    closed.add(String.valueOf(endPoint.getRemoteSocketAddress()));
                }
                endPoint.close();
            }
        }
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
}
