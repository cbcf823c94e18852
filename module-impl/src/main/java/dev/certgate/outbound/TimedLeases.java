package dev.certgate.outbound;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The async pool with its lease wait enforced on time. HttpCore's async pool checks a waiting lease's deadline
 * only when the pool is next used, so under saturation a request waited until a connection came free, however
 * long; here a lease still waiting at its deadline is cancelled (the pool forgets it) and fails with
 * {@link ConnectionRequestTimeoutException}, as the blocking pool's does (503 {@code BackendPoolExhausted}).
 */
final class TimedLeases implements AsyncClientConnectionManager {
    private final AsyncClientConnectionManager pool;
    private final ScheduledExecutorService timer;

    TimedLeases(AsyncClientConnectionManager pool, ScheduledExecutorService timer) {
        this.pool = pool;
        this.timer = timer;
    }

    @Override
    public Future<AsyncConnectionEndpoint> lease(String id, HttpRoute route, Object state, Timeout requestTimeout,
                                                 FutureCallback<AsyncConnectionEndpoint> callback) {
        AtomicBoolean timedOut = new AtomicBoolean();
        Future<AsyncConnectionEndpoint> lease = pool.lease(id, route, state, requestTimeout,
                new FutureCallback<>() {
                    @Override
                    public void completed(AsyncConnectionEndpoint endpoint) {
                        callback.completed(endpoint);
                    }

                    @Override
                    public void failed(Exception failure) {
                        callback.failed(failure);
                    }

                    @Override
                    public void cancelled() {
                        if (timedOut.get()) {
                            // In milliseconds: HttpCore's Timeout prints itself as "300 MILLISECONDS".
                            callback.failed(new ConnectionRequestTimeoutException("no pooled connection became free "
                                    + "within " + requestTimeout.toMilliseconds() + " ms"));
                        } else {
                            callback.cancelled();
                        }
                    }
                });
        if (!lease.isDone() && Timeout.isPositive(requestTimeout)) {
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                timedOut.set(true);
                if (!lease.cancel(true)) {
                    timedOut.set(false); // it was granted meanwhile
                }
            }, requestTimeout.toMilliseconds(), TimeUnit.MILLISECONDS);
            if (lease.isDone()) {
                deadline.cancel(false);
            }
        }
        return lease;
    }

    @Override
    public void release(AsyncConnectionEndpoint endpoint, Object newState, TimeValue validDuration) {
        pool.release(endpoint, newState, validDuration);
    }

    @Override
    public Future<AsyncConnectionEndpoint> connect(AsyncConnectionEndpoint endpoint, ConnectionInitiator initiator,
                                                   Timeout connectTimeout, Object attachment, HttpContext context,
                                                   FutureCallback<AsyncConnectionEndpoint> callback) {
        return pool.connect(endpoint, initiator, connectTimeout, attachment, context, callback);
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context) {
        pool.upgrade(endpoint, attachment, context);
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context,
                        FutureCallback<AsyncConnectionEndpoint> callback) {
        pool.upgrade(endpoint, attachment, context, callback);
    }

    @Override
    public void close(CloseMode closeMode) {
        pool.close(closeMode);
    }

    @Override
    public void close() throws java.io.IOException {
        pool.close();
    }
}
