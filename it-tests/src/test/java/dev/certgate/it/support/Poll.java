package dev.certgate.it.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for something the server does asynchronously (the file watch), up to a generous deadline. */
public final class Poll {
    private Poll() {
    }

    /** The first value {@code probe} answers that {@code done} accepts; fails with the last value after {@code limit}. */
    public static <T> T until(Duration limit, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + limit.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + limit + "; last: " + last);
            }
            sleep();
            last = probe.get();
        }
        return last;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
