package dev.certgate.outbound;

import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.util.concurrent.Future;

/**
 * Cancels one back-end exchange for good, whatever stage it is in: the lease, the connection, or the request and
 * answer on the wire (the connection is then dropped and given back to the pool as closed).
 *
 * <p>Cancelling the client's future alone does not always do that. When the pool has a free connection, HttpClient
 * 5's {@code AsyncConnectExec} gets it within its own lease call, the exchange starts on it, and only then does
 * {@code AsyncConnectExec} record the (finished) lease as what cancels the request, over the transport's own
 * cancellation. The future's cancel then reached nothing: a caller that left, or whose body broke off, left its
 * back-end connection open and leased until the back end closed it, and a small pool ran dry. So a handler last in
 * the chain, just before the transport, keeps the transport's cancellation here, and {@link #cancel(Future)} calls it
 * too (at once if the exchange reaches the transport after it was cancelled).
 */
public final class ExchangeCancel {
    private static final String ATTRIBUTE = ExchangeCancel.class.getName();

    /** The exec-chain handler that hands the transport's cancellation to the exchange's {@code ExchangeCancel}. */
    static final AsyncExecChainHandler CHAIN_HANDLER = ExchangeCancel::beforeTransport;
    static final String CHAIN_HANDLER_NAME = "certgate-exchange-cancel";

    private Cancellable transport;
    private boolean cancelled;

    private ExchangeCancel() {
    }

    /** A cancellation for the exchange that will run with {@code context}. */
    public static ExchangeCancel attachTo(HttpClientContext context) {
        ExchangeCancel cancel = new ExchangeCancel();
        context.setAttribute(ATTRIBUTE, cancel);
        return cancel;
    }

    /** The cancellation attached to {@code context}. */
    public static ExchangeCancel of(HttpClientContext context) {
        ExchangeCancel cancel = (ExchangeCancel) context.getAttribute(ATTRIBUTE);
        if (cancel == null) {
            throw new IllegalStateException("no ExchangeCancel attached to the exchange's context");
        }
        return cancel;
    }

    /** Cancels the exchange of {@code future}: the future (and its callback), and the transport if it has begun. */
    public void cancel(Future<?> future) {
        future.cancel(true);
        Cancellable started;
        synchronized (this) {
            cancelled = true;
            started = transport;
            transport = null;
        }
        if (started != null) {
            started.cancel();
        }
    }

    /** True once the exchange running with {@code context} was cancelled (false for one without a cancellation). */
    static boolean isCancelled(HttpContext context) {
        return context.getAttribute(ATTRIBUTE) instanceof ExchangeCancel cancel && cancel.isCancelled();
    }

    private synchronized boolean isCancelled() {
        return cancelled;
    }

    /** The transport has begun: true when the exchange was cancelled before, so it must stop at once. */
    private boolean started(Cancellable cancellable) {
        synchronized (this) {
            if (!cancelled) {
                transport = cancellable;
                return false;
            }
        }
        return true;
    }

    private static void beforeTransport(HttpRequest request, AsyncEntityProducer entityProducer,
                                        AsyncExecChain.Scope scope, AsyncExecChain chain,
                                        AsyncExecCallback callback) throws HttpException, IOException {
        ExchangeCancel cancel = (ExchangeCancel) scope.clientContext.getAttribute(ATTRIBUTE);
        if (cancel == null) {
            chain.proceed(request, entityProducer, scope, callback);
            return;
        }
        CancellableDependency exchange = scope.cancellableDependency;
        CancellableDependency recorded = new CancellableDependency() {
            @Override
            public void setDependency(Cancellable cancellable) {
                exchange.setDependency(cancellable);
                if (cancel.started(cancellable)) {
                    cancellable.cancel();
                }
            }

            @Override
            public boolean isCancelled() {
                return exchange.isCancelled();
            }

            @Override
            public boolean cancel() {
                return exchange.cancel();
            }
        };
        chain.proceed(request, entityProducer, new AsyncExecChain.Scope(scope.exchangeId, scope.route,
                scope.originalRequest, recorded, scope.clientContext, scope.execRuntime, scope.scheduler,
                scope.execCount), callback);
    }
}
