package dev.certgate.proxy;

import dev.certgate.api.policy.Policy;
import dev.certgate.observe.RequestRecord;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The back end's answer relayed to the caller on the non-blocking path: status and headers as on the blocking
 * path (hop-by-hop fields removed, outbound policies applied), the body written with Servlet async I/O only as fast
 * as the caller takes it. HttpCore's capacity window is topped up only once what was received has been written, so a
 * slow caller holds one window of buffer and stops the back end instead of a thread. Whenever the back end pauses
 * what it sent is flushed, so server-sent events arrive one by one. The body of HEAD, 204 and 304 is never written.
 * An answer that fits the container's buffer is held there whole, and where an async dispatch comes back to the
 * gateway its last byte is written by the container's thread that finishes the request ({@link #takeHeldLastByte}).
 */
final class CallerAnswer implements AsyncResponseConsumer<Void>, WriteListener {
    /** What the back end may send ahead of the caller: HttpCore's initial window, and each top-up. */
    private static final int WINDOW = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];
    /** Larger than what HttpCore hands over at once from one TLS record. */
    private static final int SCRATCH_SIZE = 32 * 1024;
    /**
     * Each I/O reactor thread's array for passing a piece to the container while nothing else is held: the container
     * copies it into its own buffer, so a 16 KiB answer costs no array of its own (it was a third of what the gateway
     * allocated per request). An array the container may still be writing from is given up ({@link #consume}).
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_SIZE]);

    private final AsyncRelay relay;
    private final HttpServletResponse response;
    private final String method;
    private final List<Policy> outbound;
    private final RequestRecord record;
    private final boolean lastByteOnDispatch;
    // Guarded by the relay: its events and these come from the container's and the I/O reactor's threads.
    private byte[] data = EMPTY;
    private int start;
    private int end;
    private boolean discard;
    private boolean passedOn;
    private boolean writePending;
    private boolean ended;
    private boolean written;
    /** HttpClient released the exchange's connection to its pool (it does so before {@link #releaseResources}). */
    private boolean released;
    private long contentLength = -1;
    private boolean holdWhole;
    private long received;
    /** The last byte of a body held whole, kept back for the container's thread to send the answer with; -1: none. */
    private int heldLastByte = -1;
    private ServletOutputStream out;
    private CapacityChannel capacity;
    private boolean capacityWanted;
    private FutureCallback<Void> result;

    /**
     * @param lastByteOnDispatch an async dispatch of this request comes back to the gateway's servlet, which can
     *                           send an answer held whole ({@link #takeHeldLastByte}; {@link ProxyCore#handleBelow})
     */
    CallerAnswer(AsyncRelay relay, HttpServletResponse response, String method, List<Policy> outbound,
                 RequestRecord record, boolean lastByteOnDispatch) {
        this.relay = relay;
        this.response = response;
        this.method = method;
        this.outbound = outbound;
        this.record = record;
        this.lastByteOnDispatch = lastByteOnDispatch;
    }

    /**
     * Puts the caller's side in non-blocking mode now, in the container's dispatch, before the back end can answer:
     * the container calls {@link #onWritePossible} once when this dispatch returns, on the same thread, and from then
     * on the I/O reactor writes what arrives without handing it to a container thread. Without a write listener the
     * container would block the reactor on the write that completes the body.
     */
    void listen() throws IOException {
        out = response.getOutputStream();
        out.setWriteListener(this);
    }

    @Override
    public void consumeResponse(HttpResponse backendResponse, EntityDetails entity, HttpContext context,
                                FutureCallback<Void> result) {
        Headers headers = Forwarder.responseHeaders(backendResponse);
        Pipeline.outbound(headers, outbound);
        int status = backendResponse.getCode();
        record.backendAnswered(status);
        boolean body = entity != null && Forwarder.hasBody(method, status);
        if (relay.headArrived()) {
            headers.set("Connection", List.of("close")); // the caller's connection was read past this request
        }
        IOException commitFailure = null;
        synchronized (relay) {
            this.result = result;
            if (relay.callerFinished()) {
                discard = true;
                return;
            }
            Forwarder.writeHead(status, headers, record.requestId(), response);
            if (!body) {
                try {
                    Forwarder.commitNotModified(status, response);
                } catch (IOException e) {
                    commitFailure = e;
                }
            }
            discard = !body;
            contentLength = entity == null ? -1 : entity.getContentLength();
            // As on the blocking path: a body of known length that fits the container's buffer is not flushed as the
            // back end pauses, so it goes out with the head in one write at the end.
            holdWhole = contentLength >= 0 && contentLength <= response.getBufferSize();
        }
        if (commitFailure != null) {
            relay.callerFailed(commitFailure);
            return;
        }
        if (entity == null) {
            // Nothing follows: the exchange is over, and so is the answer once the connection is back in its pool.
            boolean bodyUnsent = relay.bodyUnsent();
            result.completed(null);
            boolean answer;
            synchronized (relay) {
                written = true;
                released |= bodyUnsent; // never released by itself
                answer = released;
            }
            if (answer) {
                relay.answered();
            }
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx from the back end: ours to the caller are the container's (100 Continue)
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        boolean grant;
        synchronized (relay) {
            capacity = channel;
            grant = discard || end == start && !writePending;
            capacityWanted = !grant;
        }
        if (grant) {
            channel.update(WINDOW);
        }
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        int n = src.remaining();
        Runnable after;
        synchronized (relay) {
            if (discard || relay.callerFinished()) {
                src.position(src.limit());
                return;
            }
            received += n;
            if (writePending) {
                append(src); // the write listener passes it on
                return;
            }
            boolean lent = start == end && n <= SCRATCH_SIZE;
            if (lent) {
                byte[] scratch = SCRATCH.get();
                src.get(scratch, 0, n);
                data = scratch;
                start = 0;
                end = n;
            } else {
                append(src);
            }
            after = drain();
            if (lent) {
                if (start != end || writePending) {
                    SCRATCH.remove(); // held for the caller, or the container may still write from it
                }
                if (start == end) { // all handed over: the answer keeps nothing
                    data = EMPTY;
                    start = 0;
                    end = 0;
                }
            }
        }
        if (after != null) {
            after.run();
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        boolean bodyUnsent = relay.bodyUnsent();
        Runnable after = null;
        boolean answerNow = false;
        synchronized (relay) {
            ended = true;
            released |= bodyUnsent; // never released by itself
            if (discard || received == 0) {
                written = true;
                answerNow = released;
            } else if (!writePending) {
                after = drain();
            }
        }
        FutureCallback<Void> done;
        synchronized (relay) {
            done = result;
        }
        if (done != null) {
            done.completed(null);
        }
        // The caller is answered once HttpClient has put the connection back (releaseResources, which follows): a
        // caller's next request must find it there rather than open another. Not when the body has not all gone
        // out (AsyncRelay.bodyUnsent): then the connection comes back only when the relay cancels the exchange.
        if (after != null) {
            after.run();
        }
        if (answerNow) {
            relay.answered();
        }
    }

    @Override
    public void onWritePossible() throws IOException {
        Runnable after;
        synchronized (relay) {
            writePending = false;
            after = drain();
        }
        if (after != null) {
            after.run();
        }
    }

    @Override
    public void onError(Throwable failure) {
        relay.callerFailed(failure);
    }

    /**
     * The last byte of an answer held whole, once the rest is in the container's buffer: whoever takes it sends the
     * answer by writing it. -1 when nothing was kept back (the answer went out as it arrived, or had no body).
     */
    int takeHeldLastByte() {
        synchronized (relay) {
            int last = heldLastByte;
            heldLastByte = -1;
            return last;
        }
    }

    /** The body bytes received from the back end (for the caller, unless it left). */
    long received() {
        synchronized (relay) {
            return received;
        }
    }

    /**
     * True once part of the body may have left the container: from then on only an abort can report a failure. A
     * body held whole stays in the container's buffer until it has all arrived, so a failure before that is still
     * answered cleanly (the error answer resets that buffer).
     */
    boolean passedOn() {
        return passedOn;
    }

    /**
     * Writes what is held while the caller takes it; answers what to do outside the lock: top up the back end's
     * window, or finish the answer. Under the relay's lock.
     */
    private Runnable drain() {
        if (written || relay.callerFinished() || received == 0) {
            return null;
        }
        try {
            while (end > start) {
                if (!out.isReady()) {
                    writePending = true;
                    return null;
                }
                passedOn |= !holdWhole; // a body held whole stays in the container's buffer until it is complete
                int length = end - start;
                if (lastByteOnDispatch && holdWhole && received == contentLength && heldLastByte < 0) {
                    // The write that completes the body sends the answer: the system call, and the caller's
                    // connection going back to the container. Left to the container's thread that finishes the
                    // request anyway, the reactor every exchange of the pool waits on is spared it.
                    heldLastByte = data[end - 1] & 0xff;
                    length--;
                }
                if (length > 0) {
                    out.write(data, start, length);
                }
                start = end;
            }
            if (!out.isReady()) {
                writePending = true;
                return null;
            }
            start = 0;
            end = 0;
            if (ended) {
                written = true;
                passedOn = true;
                return released ? relay::answered : null;
            }
            boolean lengthComplete = contentLength >= 0 && received >= contentLength;
            if (!lengthComplete && !holdWhole) {
                out.flush(); // the back end paused: pass on what it sent
                writePending = !out.isReady();
            }
            if (capacityWanted) {
                capacityWanted = false;
                CapacityChannel channel = capacity;
                return () -> topUp(channel);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return () -> relay.callerFailed(e);
        }
    }

    private void topUp(CapacityChannel channel) {
        try {
            channel.update(WINDOW);
        } catch (IOException e) {
            relay.backendFailed(e);
        }
    }

    /** Appends the bytes, reusing the array only where the container is not still writing from it. */
    private void append(ByteBuffer src) {
        int n = src.remaining();
        if (start == end && !writePending) {
            start = 0;
            end = 0;
        }
        if (data.length - end < n) {
            int wanted = Math.max(end - start + n, Math.min(2 * data.length, WINDOW * 2));
            byte[] bigger = new byte[wanted];
            System.arraycopy(data, start, bigger, 0, end - start);
            end -= start;
            start = 0;
            data = bigger;
        }
        src.get(data, end, n);
        end += n;
    }

    @Override
    public void failed(Exception cause) {
        // the relay hears of the exchange's failure from its future
    }

    /**
     * HttpClient calls this after the exchange, once its connection is back in the pool (or dropped): if the answer
     * has been written, the caller is answered now, so that its next request finds the connection free.
     */
    @Override
    public void releaseResources() {
        boolean answer;
        synchronized (relay) {
            released = true;
            answer = written;
        }
        if (answer) {
            relay.answered();
        }
    }
}
