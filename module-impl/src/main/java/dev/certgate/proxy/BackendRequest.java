package dev.certgate.proxy;

import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/**
 * The outbound request, with its raw request-target kept as is (no URI parsing or re-encoding), and
 * cancellable: cancelling drops the connection at once, where closing a half-read response would
 * first read the rest of its body.
 */
final class BackendRequest extends BasicClassicHttpRequest implements CancellableDependency {
    private Cancellable dependency;
    private boolean cancelled;

    BackendRequest(String method, HttpHost host, String requestUri) {
        super(method, host, requestUri);
    }

    @Override
    public synchronized void setDependency(Cancellable cancellable) {
        dependency = cancellable;
        if (cancelled && cancellable != null) {
            cancellable.cancel();
        }
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public synchronized boolean cancel() {
        cancelled = true;
        return dependency == null || dependency.cancel();
    }
}
