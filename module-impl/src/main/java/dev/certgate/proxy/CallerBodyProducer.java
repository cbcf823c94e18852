package dev.certgate.proxy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The caller's body on the non-blocking path, read with Servlet async I/O only as fast as the back-end connection
 * takes it: at most one buffer is held; the container is asked for more (by reading while it is ready) only once
 * the back end has taken what was read, and the back end's channel is told when there is something to send.
 * Reading starts when the back-end exchange wants the body, so {@code 100 Continue} goes to the caller once the
 * back end is connected, as on the blocking path. Framing is the entity's (a known length as Content-Length,
 * otherwise chunked). A body that fails or ends early is never ended towards the back end: the relay cancels the
 * exchange, which drops the connection.
 */
final class CallerBodyProducer implements AsyncEntityProducer, ReadListener {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final AsyncRelay relay;
    private final ServletInputStream in;
    private final long length;
    // Guarded by this: the container's threads (ReadListener) and the I/O reactor's (produce) both come here.
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int start;
    private int end;
    private long received;
    private boolean listening;
    /**
     * The last read stopped on a full buffer while the container was still ready: it will not call
     * onDataAvailable, so produce() must read on, and available() says so even when the back end took everything.
     */
    private boolean readable;
    private boolean ended;
    private boolean failed;
    /** Counted under the lock; read unlocked by the answer's end. */
    private final BodyDelivery delivery;
    private DataStreamChannel channel;

    /** @param length the body's length, -1 when unknown */
    CallerBodyProducer(AsyncRelay relay, ServletInputStream in, long length) {
        this.relay = relay;
        this.in = in;
        this.length = length;
        this.delivery = new BodyDelivery(length);
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        boolean startReading;
        synchronized (this) {
            this.channel = channel;
            if (failed) {
                return;
            }
            startReading = !listening;
            listening = true;
            send(channel);
            if (!startReading && !ended) {
                fill();
                send(channel);
            }
        }
        if (startReading) {
            in.setReadListener(this);
        }
    }

    /** Writes what the channel takes; ends the stream once everything has gone. Under the lock. */
    private void send(DataStreamChannel channel) throws IOException {
        while (end > start) {
            int written = channel.write(ByteBuffer.wrap(buffer, start, end - start));
            if (written == 0) {
                return;
            }
            start += written;
            delivery.wrote(written);
        }
        start = 0;
        end = 0;
        if (ended) {
            channel.endStream();
            delivery.ended();
        }
    }

    /** Reads while the container has data and the buffer has room; the caller's failures as such. Under the lock. */
    private void fill() throws CallerGoneException {
        try {
            read();
        } catch (IOException e) {
            failed = true;
            throw e instanceof CallerGoneException gone ? gone : new CallerGoneException(e);
        }
    }

    private void read() throws IOException {
        while (!ended && !failed) {
            if (end == buffer.length) {
                if (start == 0) {
                    readable = true; // full: produce() reads on once the back end has taken some
                    return;
                }
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            readable = false;
            if (!in.isReady()) {
                return; // the container calls onDataAvailable when more arrives
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                end();
                return;
            }
            end += n;
            received += n;
        }
    }

    private void end() throws IOException {
        if (length >= 0 && received < length) {
            throw new IOException("the caller's body ended after " + received + " of " + length + " bytes");
        }
        ended = true;
    }

    @Override
    public void onDataAvailable() throws IOException {
        DataStreamChannel signal;
        boolean whole;
        synchronized (this) {
            fill();
            whole = ended;
            signal = end > start || ended ? channel : null;
        }
        if (whole) {
            relay.bodyArrived();
        }
        if (signal != null) {
            requestOutput(signal);
        }
    }

    @Override
    public void onAllDataRead() throws IOException {
        DataStreamChannel signal;
        synchronized (this) {
            if (!ended) {
                try {
                    end();
                } catch (IOException e) {
                    failed = true;
                    throw new CallerGoneException(e);
                }
            }
            signal = channel;
        }
        relay.bodyArrived();
        if (signal != null) {
            requestOutput(signal);
        }
    }

    /**
     * Tells HttpCore there is body to send. A body deadline or the back end may have ended the exchange meanwhile
     * and closed its connection, when HttpCore throws (a cancelled selection key): the caller's body did not fail
     * then, and the container must not be told it did, or its error handling races the answer already given (a 408
     * lost on Tomcat).
     */
    private void requestOutput(DataStreamChannel channel) {
        try {
            channel.requestOutput();
        } catch (RuntimeException e) {
            if (!relay.exchangeOver()) {
                throw e;
            }
        }
    }

    @Override
    public void onError(Throwable failure) {
        synchronized (this) {
            failed = true;
        }
        relay.callerFailed(failure);
    }

    synchronized long received() {
        return received;
    }

    /**
     * Whether the back end has taken all that came and the body waits for the caller's next bytes: a back end that
     * times out then was waiting for the caller, not the reverse.
     */
    synchronized boolean waitingForCaller() {
        return listening && !ended && !failed && !readable && end == start;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** True once the whole body went to the back end's connection: all its bytes, or its end when chunked. */
    boolean sent() {
        return delivery.sent();
    }

    @Override
    public synchronized int available() {
        if (failed) {
            return 0;
        }
        // The end of the stream must be written too, and a produce() must come to read on: count each as one byte.
        return end > start ? end - start : ended || readable ? 1 : 0;
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isChunked() {
        return length < 0;
    }

    @Override
    public String getContentType() {
        return null;
    }

    @Override
    public String getContentEncoding() {
        return null;
    }

    @Override
    public Set<String> getTrailerNames() {
        return null;
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public void failed(Exception cause) {
        // the relay hears of the exchange's failure from its future
    }

    @Override
    public void releaseResources() {
        // the container owns the caller's stream
    }
}
