package dev.certgate.proxy;

import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.observe.RequestRecord;
import dev.certgate.outbound.ClientPools;
import dev.certgate.policy.SecretValues;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Forwards a request without holding a thread while it waits (the non-blocking path): the request is put into
 * async mode, the back-end exchange runs on HttpClient's async client, and the caller's body and the back end's
 * answer are relayed with flow control both ways ({@link CallerBodyProducer}, {@link CallerAnswer}), tied
 * together by an {@link AsyncRelay}. The container's async timeout is off: the forward-request timeout bounds the
 * wait for the back end (lease, connect and handshake, answer), the body deadline the caller's upload.
 */
final class AsyncForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncForwarder.class);
    private static final long CHECK_EVERY_MILLIS = 1000;

    private final Forwarder forwarder;
    private final ForwardingSettings settings;
    private final ScheduledExecutorService deadlines;
    private final CallerWatch callers;

    /** @param forwarder the thread-bound forwarder, whose per-forward-request client settings are shared */
    AsyncForwarder(Forwarder forwarder, ForwardingSettings settings) {
        this.forwarder = forwarder;
        this.settings = settings;
        try {
            this.callers = new CallerWatch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector to watch callers' connections", e);
        }
        this.deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "certgate-body-deadlines");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the exchange and returns; the lease is the relay's from here on (released when the exchange ends),
     * and so is every failure once the request is in async mode. {@code done} runs once the caller's side has
     * ended (answered, refused or broken off), with {@code record} complete. {@code secrets} are kept out of what
     * a failure logs and answers. {@code lastByteOnDispatch}: an async dispatch of the request comes back to
     * the gateway, which may then send the end of its answer ({@link AsyncRelay#sendHeldAnswer}).
     */
    void forward(ClientPools.Lease lease, BackendTarget target, Exchange exchange, PolicyDocument policy,
                 HttpServletRequest request, HttpServletResponse response, String path, RequestRecord record,
                 SecretValues secrets, boolean lastByteOnDispatch, Runnable done)
            throws IOException {
        String method = request.getMethod();
        BasicHttpRequest backendRequest =
                new BasicHttpRequest(method, target.host(), target.requestUri(exchange.path(), exchange.query()));
        exchange.headers.forEach(backendRequest::addHeader);
        long length = RequestBodies.length(request);
        HttpClientContext context = forwarder.context(exchange, length != RequestBodies.NONE);

        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0);
        AsyncRelay relay = new AsyncRelay(async, request, response, lease, policy.onError(), path, context, callers,
                record, secrets, done);
        async.addListener(relay);
        try {
            CallerBodyProducer body = length == RequestBodies.NONE ? null
                    : new CallerBodyProducer(relay, request.getInputStream(), length);
            CallerAnswer answer =
                    new CallerAnswer(relay, response, method, policy.outbound(), record, lastByteOnDispatch);
            relay.parts(answer, body);
            answer.listen();
            if (body != null) {
                relay.bodyDeadline(deadlines.scheduleWithFixedDelay(() -> checkBody(relay),
                        settings.bodyDeadline().timeout().toMillis(), CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS));
            }
            record.backendStarted();
            Future<Void> future = lease.client().execute(new BasicRequestProducer(backendRequest, body),
                    relay.answer(), null, context, relay);
            relay.started(future);
            if (body == null) {
                relay.watchCaller();
            }
        } catch (IOException | RuntimeException e) {
            relay.backendFailed(e);
        }
    }

    /** The body deadline ({@link dev.certgate.http.BodyDeadline}), checked every second once its timeout is past. */
    private void checkBody(AsyncRelay relay) {
        CallerBodyProducer body = relay.body();
        if (body.ended() || relay.callerFinished()) {
            relay.bodyArrived();
            return;
        }
        String late = settings.bodyDeadline().late(body.received(), System.currentTimeMillis() - relay.startedMillis());
        if (late != null) {
            String why = "the caller's body " + late;
            LOG.debug("{}: {}", relay, why);
            relay.bodyTimedOut(why);
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        callers.close();
    }
}
