package dev.certgate.proxy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cap on proxied requests in flight (setting {@code certgate.maxRequestsInFlight}): past it a request is
 * refused at once instead of queueing for threads, connections and memory the gateway no longer has.
 * Each admitted request leaves exactly once, when its exchange has ended.
 */
final class InFlightLimit {
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong nextWarnNanos = new AtomicLong(System.nanoTime());

    InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the cap on requests in flight must be at least 1, not " + max);
        }
        this.max = max;
    }

    int max() {
        return max;
    }

    int current() {
        return inFlight.get();
    }

    /** Admits the request unless {@code max} are in flight; an admitted one must {@link #leave()}. */
    boolean tryEnter() {
        while (true) {
            int current = inFlight.get();
            if (current >= max) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    /** True for one refusal in ten seconds at most, so a burst of refusals is logged once rather than per request. */
    boolean warnNow() {
        long now = System.nanoTime();
        long next = nextWarnNanos.get();
        return now - next >= 0 && nextWarnNanos.compareAndSet(next, now + WARN_INTERVAL_NANOS);
    }
}
