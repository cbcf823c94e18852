package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.http.BodyDeadline;
import dev.certgate.observe.RequestRecord;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.support.classic.SharedOutputBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.util.List;
import java.util.Set;

/**
 * The caller's body for a request forwarded on a container thread ({@link Forwarder}): that thread reads the caller's
 * stream and hands each piece to the I/O reactor through a shared buffer, waiting while the back end takes nothing
 * more (flow control, one buffer held). Framing is the entity's: a known length as Content-Length, otherwise
 * chunked. A body that fails or ends early is never ended towards the back end (the exchange is cancelled, which
 * drops the connection); an exchange that ends first (failed, or answered without reading the rest) releases the
 * waiting thread at once.
 */
final class BlockingBody implements AsyncEntityProducer {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final SharedOutputBuffer buffer = new SharedOutputBuffer(BUFFER_SIZE);
    private final long length;
    private final BodyDelivery delivery;
    /** The channel HttpCore last produced to, and the same seen through {@link CountingChannel}: the I/O thread's. */
    private DataStreamChannel channel;
    private DataStreamChannel counted;

    /** @param length the body's length, -1 when unknown */
    BlockingBody(long length) {
        this.length = length;
        this.delivery = new BodyDelivery(length);
    }

    /**
     * Sends the caller's body; returns early, without error, when the exchange ended before taking it all (its
     * answer or failure tells the rest). A failure to read the caller's stream is a {@link CallerGoneException}; a
     * body late for {@code deadline} (counted from {@code startedMillis}), found at the first read past it, is a
     * {@code RequestBodyTimeout}. A read waits at most the container's idle timeout, so the thread is held for at
     * most the deadline and one idle timeout.
     */
    void sendFrom(InputStream in, RequestRecord record, BodyDeadline deadline, long startedMillis) throws IOException {
        byte[] piece = new byte[BUFFER_SIZE];
        long remaining = length;
        long received = 0;
        try {
            while (remaining != 0) {
                int n;
                try {
                    n = in.read(piece, 0, length < 0 ? piece.length : (int) Math.min(piece.length, remaining));
                } catch (IOException e) {
                    throw new CallerGoneException(e);
                }
                if (n < 0) {
                    if (length >= 0) {
                        throw new CallerGoneException(new IOException("the caller's body ended early"));
                    }
                    break;
                }
                record.addRequestBytes(n);
                received += n;
                String late = deadline.late(received, System.currentTimeMillis() - startedMillis);
                if (late != null) {
                    throw new CertgateException(ErrorCode.REQUEST_BODY_TIMEOUT, "The caller's body " + late);
                }
                buffer.write(piece, 0, n);
                if (length >= 0) {
                    remaining -= n;
                }
            }
            buffer.writeCompleted();
        } catch (InterruptedIOException stopped) {
            if (Thread.currentThread().isInterrupted()) {
                throw stopped;
            }
            // the exchange ended (see stop): nothing more is wanted
        } catch (CancelledKeyException closed) {
            // HttpCore asked for output on a connection the back end had just closed: a connection failure.
            throw new IOException("the back end's connection closed while the caller's body was being sent", closed);
        }
    }

    /** The exchange has ended: a thread waiting to hand over more of the body stops waiting. */
    void stop() {
        buffer.abort();
    }

    /** True once the whole body went to the back end's connection: all its bytes, or its end when chunked. */
    boolean sent() {
        return delivery.sent();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        if (channel != this.channel) {
            this.channel = channel;
            counted = new CountingChannel(channel);
        }
        buffer.flush(counted);
    }

    @Override
    public int available() {
        return buffer.length();
    }

    @Override
    public void failed(Exception cause) {
        buffer.abort();
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public String getContentType() {
        return null; // the caller's Content-Type travels with its other header fields
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public boolean isChunked() {
        return length < 0;
    }

    @Override
    public Set<String> getTrailerNames() {
        return Set.of();
    }

    @Override
    public void releaseResources() {
        buffer.abort();
    }

    /** The back end's channel, noting what went out on it. */
    private final class CountingChannel implements DataStreamChannel {
        private final DataStreamChannel channel;

        CountingChannel(DataStreamChannel channel) {
            this.channel = channel;
        }

        @Override
        public void requestOutput() {
            channel.requestOutput();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            // Under the buffer's lock: it writes to the channel on the I/O thread (flush) and on the caller's (write).
            int written = channel.write(src);
            delivery.wrote(written);
            return written;
        }

        @Override
        public void endStream() throws IOException {
            channel.endStream();
            delivery.ended();
        }

        @Override
        public void endStream(List<? extends Header> trailers) throws IOException {
            channel.endStream(trailers);
            delivery.ended();
        }
    }
}
