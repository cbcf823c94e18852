package dev.certgate.proxy;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.support.classic.SharedInputBuffer;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The back end's answer for a request forwarded on a container thread ({@link Forwarder}): the I/O reactor fills a
 * shared buffer, topped up only as the container thread takes from it (flow control, one buffer held), and that
 * thread waits for the head and reads the body. A failure of the exchange reaches the waiting thread as the
 * exception it throws. {@link #awaitReleased} tells when HttpClient has put the connection back in its pool.
 */
final class BlockingAnswer implements AsyncResponseConsumer<Void> {
    private static final int BUFFER_SIZE = 32 * 1024;
    /** The longest wait for HttpClient to return a connection whose answer has arrived whole. */
    private static final long RELEASE_WAIT_SECONDS = 5;

    private final SharedInputBuffer buffer = new SharedInputBuffer(BUFFER_SIZE);
    private final BlockingBody body;
    private volatile boolean ended;
    /** The exchange will not end by itself, or did not within the wait: its connection must be dropped. */
    private volatile boolean leftOpen;
    private final CompletableFuture<HttpResponse> head = new CompletableFuture<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile EntityDetails entity;
    private volatile FutureCallback<Void> result;
    private volatile Exception failure;

    /** @param body the caller's body on its way to the back end, null when the request has none */
    BlockingAnswer(BlockingBody body) {
        this.body = body;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                FutureCallback<Void> result) {
        this.entity = entity;
        if (entity == null) {
            end();
            result.completed(null);
        } else {
            this.result = result;
        }
        head.complete(response);
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx from the back end: ours to the caller are the container's (100 Continue)
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        buffer.updateCapacity(channel);
    }

    @Override
    public void consume(ByteBuffer src) {
        buffer.fill(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        end();
        FutureCallback<Void> done = result;
        if (done != null) {
            done.completed(null);
        }
    }

    @Override
    public void failed(Exception cause) {
        fail(cause);
    }

    /**
     * The answer has ended, whole: a failure of the exchange from now on no longer concerns it. If the request's body
     * has not all gone out, the exchange never ends by itself: HttpClient waits for the body's end after an answer
     * below 400, and a back end that answered early has often closed the connection (RFC 9112, 9.5), which HttpCore
     * then drops without failing the exchange, so its lease would stay taken. The body stops, and the exchange is
     * cancelled once the answer is relayed ({@link #leftOpen}).
     */
    private void end() {
        if (body != null && !body.sent()) {
            leftOpen = true;
            body.stop();
        }
        ended = true;
        buffer.markEndStream();
    }

    /**
     * True when the exchange must be cancelled after its answer was relayed: the answer ended before the request's
     * body had all gone out, or HttpClient did not put the connection back within the wait.
     */
    boolean leftOpen() {
        return leftOpen;
    }

    /**
     * The exchange failed or was cancelled: the waiting thread stops waiting and throws {@code cause}. Not once the
     * answer has ended: HttpClient completes the exchange's future then, and cancels the exchange it finds done, if
     * the body has not all gone out, as a failure of the answer.
     */
    void fail(Exception cause) {
        if (ended) {
            return;
        }
        if (failure == null) {
            failure = cause;
        }
        buffer.abort();
        head.completeExceptionally(cause);
    }

    @Override
    public void releaseResources() {
        released.countDown(); // HttpClient calls this after releasing the connection
    }

    /** Waits for the answer's head; throws the exchange's failure. */
    HttpResponse awaitHead() throws IOException {
        try {
            return head.get();
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the back end's answer");
        }
    }

    /** The body's length as the back end declared it, -1 when unknown or when there is no body. */
    long contentLength() {
        EntityDetails details = entity;
        return details == null ? -1 : details.getContentLength();
    }

    boolean hasBody() {
        return entity != null;
    }

    /** Reads some of the body into {@code target}; -1 at its end. Throws the exchange's failure. */
    int read(byte[] target, int offset, int length) throws IOException {
        int n;
        try {
            n = buffer.read(target, offset, length);
        } catch (InterruptedIOException aborted) {
            // fail() aborts the buffer, and HttpCore's "Operation aborted" would hide what failed the exchange.
            throw failure != null ? rethrown(failure) : aborted;
        }
        if (n < 0 && failure != null) {
            throw rethrown(failure);
        }
        return n;
    }

    /** True when nothing more has arrived yet: the back end paused. */
    boolean paused() {
        return buffer.length() == 0;
    }

    /** Waits for the end of a body whose declared length has been read (HttpCore's decoder allows no more). */
    void readToEnd() throws IOException {
        byte[] rest = new byte[256];
        while (read(rest, 0, rest.length) >= 0) {
            // nothing past the declared length is passed on
        }
    }

    /**
     * Waits until HttpClient has put the connection back in its pool, so that the caller, once answered, finds it
     * free for its next request instead of opening another. A connection not back within the wait is left to be
     * dropped ({@link #leftOpen}) rather than held leased.
     */
    void awaitReleased() throws InterruptedIOException {
        if (leftOpen) {
            return; // never released by itself
        }
        try {
            if (!released.await(RELEASE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                leftOpen = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the back-end connection was released");
        }
    }

    private static IOException rethrown(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        return new IOException(cause);
    }
}
