package dev.certgate.proxy;

/**
 * How much of a caller's body has gone out to the back end, and whether all that the back end waits for has: every
 * byte of a known length, or the end of a chunked stream. An answer that comes before then leaves the exchange
 * unfinished inside HttpClient, which is why the answer's end asks (RFC 9112 §9.5).
 */
final class BodyDelivery {
    private final long length;
    /** Written by one thread at a time: each producer counts under its own lock. */
    private long delivered;
    private volatile boolean sent;

    /** @param length the body's length, -1 when unknown */
    BodyDelivery(long length) {
        this.length = length;
    }

    void wrote(int bytes) {
        delivered += bytes;
        if (length >= 0 && delivered == length) {
            sent = true; // the back end has all it waits for, though the end of the stream may follow later
        }
    }

    void ended() {
        sent = true;
    }

    boolean sent() {
        return sent;
    }
}
