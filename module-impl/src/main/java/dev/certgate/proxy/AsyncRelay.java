package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.policy.Policy;
import dev.certgate.observe.RequestRecord;
import dev.certgate.outbound.ClientPools;
import dev.certgate.outbound.ExchangeCancel;
import dev.certgate.policy.SecretValues;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

/**
 * One request on the non-blocking path, from {@code startAsync} to the end of its answer: ties the caller's side
 * (the async context, its listener events) to the back-end exchange (its future) so that each side's end or failure
 * reaches the other. The caller leaving, or its body failing or missing its deadline, cancels the exchange at once,
 * which drops its connection (or its wait for one); the exchange failing is answered with the error table's answer
 * while nothing was sent, and otherwise by aborting the caller's connection, never a clean end. The pool lease is
 * released when the exchange ends, the async context completed when the answer has been written.
 */
final class AsyncRelay implements AsyncListener, FutureCallback<Void> {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncRelay.class);

    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ClientPools.Lease lease;
    private final List<Policy> onError;
    private final String path;
    private final HttpClientContext context;
    private final CallerWatch callers;
    private final RequestRecord record;
    private final SecretValues secrets;
    private final Runnable done;
    private final long startedMillis = System.currentTimeMillis();
    private CallerAnswer answer;
    private CallerBodyProducer body;
    // Guarded by this.
    private Future<Void> exchange;
    private boolean cancelled;
    private boolean finished;
    private ScheduledFuture<?> bodyDeadline;
    private boolean headArrived;
    private CallerWatch.Watch watch;
    /** Only the thread that finished the relay reads and writes it. */
    private boolean recorded;

    AsyncRelay(AsyncContext async, HttpServletRequest request, HttpServletResponse response, ClientPools.Lease lease,
               List<Policy> onError, String path, HttpClientContext context, CallerWatch callers,
               RequestRecord record, SecretValues secrets, Runnable done) {
        this.async = async;
        this.request = request;
        this.response = response;
        this.lease = lease;
        this.onError = onError;
        this.path = path;
        this.context = context;
        this.callers = callers;
        this.record = record;
        this.secrets = secrets;
        this.done = done;
    }

    void parts(CallerAnswer answer, CallerBodyProducer body) {
        this.answer = answer;
        this.body = body;
    }

    /** The exchange is under way; cancelled at once if the caller already left. */
    void started(Future<Void> future) {
        boolean cancel;
        synchronized (this) {
            exchange = future;
            cancel = cancelled;
        }
        if (cancel) {
            ExchangeCancel.of(context).cancel(future);
        }
    }

    synchronized void bodyDeadline(ScheduledFuture<?> check) {
        if (finished || body == null || body.ended()) {
            check.cancel(false);
        } else {
            bodyDeadline = check;
        }
    }

    CallerBodyProducer body() {
        return body;
    }

    /**
     * True when the request has a body that has not all gone to the back end. Asked as the answer ends: the
     * exchange then never ends by itself, since HttpClient waits for the body's end after an answer below 400, and a
     * back end that answered early has often closed the connection (RFC 9112, 9.5), which HttpCore drops without
     * failing the exchange. The caller is answered without waiting for the connection's release, and completing
     * the request cancels the exchange ({@link #onComplete}), which gives the lease back.
     */
    boolean bodyUnsent() {
        return body != null && !body.sent();
    }

    CallerAnswer answer() {
        return answer;
    }

    long startedMillis() {
        return startedMillis;
    }

    @Override
    public String toString() {
        return request.getMethod() + " " + path;
    }

    synchronized boolean callerFinished() {
        return finished;
    }

    /** The back-end exchange is over, or being dropped: its connection may be closed already. */
    synchronized boolean exchangeOver() {
        return cancelled || finished || exchange != null && exchange.isDone();
    }

    // The back-end exchange's future.

    @Override
    public void completed(Void result) {
        lease.close();
    }

    @Override
    public void failed(Exception failure) {
        lease.close();
        backendFailed(failure);
    }

    @Override
    public void cancelled() {
        lease.close(); // cancelled here, by whoever ended the caller's side
    }

    // The caller's side.

    @Override
    public void onComplete(AsyncEvent event) {
        cancelExchange(); // a no-op once the exchange ended; the container may complete a request we did not
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        callerFailed(new SocketTimeoutException("the container's async timeout expired"));
    }

    @Override
    public void onError(AsyncEvent event) {
        callerFailed(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    /**
     * The whole answer has been written (or there was none): the request is done. An answer held whole whose last
     * byte was kept back ({@link CallerAnswer#takeHeldLastByte}) is sent by the async dispatch this asks for
     * ({@link #sendHeldAnswer}): the container wakes one of its threads to finish the request either way.
     */
    void answered() {
        if (finish()) {
            ended();
            int lastByte = answer == null ? -1 : answer.takeHeldLastByte();
            if (lastByte < 0) {
                async.complete();
            } else {
                request.setAttribute(HELD_LAST_BYTE, lastByte);
                async.dispatch();
            }
        }
    }

    /**
     * On the async dispatch {@link #answered} asked for: writes the answer's last byte, which sends it, and true; the
     * container completes the request once the dispatch returns. False for any other request or dispatch.
     */
    static boolean sendHeldAnswer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() != DispatcherType.ASYNC
                || !(request.getAttribute(HELD_LAST_BYTE) instanceof Integer lastByte)) {
            return false;
        }
        request.removeAttribute(HELD_LAST_BYTE);
        ServletOutputStream out = response.getOutputStream();
        if (out.isReady()) { // always on Jetty: the answer was only called written once the writes before were taken
            out.write(lastByte);
        } else {
            throw new IOException("the caller's connection was not ready for the end of its answer");
        }
        return true;
    }

    /** The caller's body arrived whole: its deadline no longer applies, and its connection is watched. */
    void bodyArrived() {
        ScheduledFuture<?> check;
        synchronized (this) {
            check = bodyDeadline;
            bodyDeadline = null;
        }
        if (check != null) {
            check.cancel(false);
        }
        watchCaller();
    }

    /** Until the answer's head arrives, a caller that closes its connection ends the exchange ({@link CallerWatch}). */
    void watchCaller() {
        synchronized (this) {
            if (finished || headArrived || watch != null) {
                return;
            }
        }
        CallerWatch.Watch started = callers.watch(request,
                () -> callerFailed(new EOFException("the caller closed its connection")));
        boolean stop;
        synchronized (this) {
            watch = started;
            stop = finished || headArrived;
        }
        if (stop) {
            callers.stop(started);
        }
    }

    /**
     * The answer's head arrived: the caller's connection is no longer watched. True when the watch dropped bytes
     * the caller sent, so that its connection must close after the answer.
     */
    boolean headArrived() {
        CallerWatch.Watch started;
        synchronized (this) {
            headArrived = true;
            started = watch;
        }
        callers.stop(started);
        return started != null && started.dropped();
    }

    /** The caller's connection failed (it left, or its body broke off): nobody to answer; the exchange is dropped. */
    void callerFailed(Throwable failure) {
        if (Failures.malformedByCaller(failure)) {
            callerBodyMalformed(failure); // the caller is there, and sent what the container could not parse
            return;
        }
        if (!finish()) {
            return;
        }
        LOG.debug("The caller's connection failed during {} {} (requestId {})", request.getMethod(), path,
                record.requestId(), failure);
        record.markCallerLeft();
        ended();
        cancelExchange();
        abortCaller();
    }

    /**
     * The container refused the caller's body as malformed: 400 {@code BadRequest} if nothing was answered yet (the
     * connection then closes: the rest of the body cannot be read past), and the exchange dropped either way.
     */
    private void callerBodyMalformed(Throwable failure) {
        if (!finish()) {
            return;
        }
        cancelExchange();
        record.failed(ErrorCode.BAD_REQUEST);
        LOG.debug("The caller's body of {} {} is malformed (requestId {})", request.getMethod(), path,
                record.requestId(), failure);
        // The rest of the body cannot be read past: the connection closes after the answer.
        answerError(ErrorCode.BAD_REQUEST, "The request body is malformed", List.of(), true);
    }

    /** The caller's body missed its deadline: 408 if nothing was answered yet, and the exchange dropped. */
    void bodyTimedOut(String why) {
        cancelExchange();
        backendFailed(new CertgateException(ErrorCode.REQUEST_BODY_TIMEOUT, why));
    }

    /** The exchange failed (or was failed for the caller's body): the error table's answer, or an aborted caller. */
    void backendFailed(Exception failure) {
        if (Failures.callerGone(failure)) {
            callerFailed(failure);
            return;
        }
        if (!finish()) {
            LOG.debug("{} {} failed after its caller's side ended", request.getMethod(), path,
                    Failures.forLog(failure, secrets));
            return;
        }
        cancelExchange(); // a failure of ours (an outbound policy, a body deadline) leaves the exchange open
        Exception explained = Failures.explain(failure, context);
        ErrorCode code = Failures.classify(explained);
        if (code == ErrorCode.BACKEND_TIMEOUT && body != null && body.waitingForCaller()) {
            // The back end's time ran out while it waited for the rest of the body: the caller's delay, not its own.
            code = ErrorCode.REQUEST_BODY_TIMEOUT;
        }
        record.failed(code);
        ProxyCore.logFailure(request.getMethod(), path, code, explained, record.requestId(), secrets);
        answerError(code, secrets.keepOut(Failures.message(explained)), onError, false);
    }

    /**
     * The error table's answer while nothing was sent; once part of the back end's answer is out, breaking the
     * connection is the only honest signal left. The record completes before the container recycles the response.
     */
    private void answerError(ErrorCode code, String message, List<Policy> errorPolicies, boolean closeConnection) {
        boolean answered;
        synchronized (this) {
            answered = answer.passedOn() || response.isCommitted();
        }
        if (answered) {
            LOG.debug("Aborting the caller's connection: the answer had started (requestId {})", record.requestId());
            ended();
            abortCaller();
            return;
        }
        try {
            if (!response.getOutputStream().isReady()) { // the caller's side is in non-blocking mode (CallerAnswer)
                throw new IOException("the caller's connection is not ready for the error answer");
            }
            ErrorResponses.write(response, code, message, record.requestId(), errorPolicies);
            if (closeConnection) {
                response.setHeader("Connection", "close");
            }
            ended();
            async.complete();
        } catch (IOException | RuntimeException e) {
            LOG.debug("The caller's connection failed while answering requestId {}", record.requestId(), e);
            ended();
            abortCaller();
        }
    }

    /**
     * The caller's side has ended and its answer is written (or is about to be broken off): the record is complete.
     * Called by the one thread that finished the relay, before the async context is completed (the container
     * recycles the response then), once.
     */
    private void ended() {
        if (recorded) {
            return;
        }
        recorded = true;
        if (body != null) {
            record.addRequestBytes(body.received());
        }
        if (answer != null) {
            record.addResponseBytes(answer.received());
        }
        record.completed(response.getStatus(), response.isCommitted());
        done.run();
    }

    /** Marks the caller's side ended; true for the one caller that does so. */
    private boolean finish() {
        ScheduledFuture<?> check;
        CallerWatch.Watch started;
        synchronized (this) {
            if (finished) {
                return false;
            }
            finished = true;
            check = bodyDeadline;
            bodyDeadline = null;
            started = watch;
        }
        if (check != null) {
            check.cancel(false);
        }
        callers.stop(started);
        return true;
    }

    private void cancelExchange() {
        Future<Void> future;
        synchronized (this) {
            cancelled = true;
            future = exchange;
        }
        if (future != null) {
            ExchangeCancel.of(context).cancel(future);
        }
    }

    /** Resets the caller's connection, or where the container allows no reset, has the servlet throw. */
    private void abortCaller() {
        try {
            if (CallerResets.abort(request)) {
                async.complete();
            } else {
                request.setAttribute(ABORT, Boolean.TRUE);
                async.dispatch();
            }
        } catch (RuntimeException e) {
            LOG.debug("The caller's connection was already gone", e);
        }
    }

    /**
     * Set on a request whose caller's connection must be broken off where {@link CallerResets#abort} cannot: the
     * async dispatch that follows reaches {@link ProxyCore#handle}, which throws.
     */
    static final String ABORT = AsyncRelay.class.getName() + ".abort";

    /** Set, with the answer's last byte, on a request whose answer {@link #sendHeldAnswer} sends. */
    private static final String HELD_LAST_BYTE = AsyncRelay.class.getName() + ".heldLastByte";
}
