package dev.certgate.launcher.server;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slows password guessing from one address. After {@value #FREE_FAILURES} failed admin logins in a row, each
 * further check from that address waits: 250 ms, then twice as long after each failure, up to
 * {@link #MAX_DELAY_NANOS 2 s}. The wait comes before the password is checked, so a caller cannot learn a
 * right guess sooner by giving up early, and checks from one address are spaced by the delay however many
 * connections it opens: an attempt that would have to wait longer than the longest delay is refused without
 * a check. So no thread waits more than 2 s, and an address keeps at most one thread waiting per delay
 * within those 2 s (eight at the first delay, one at the longest).
 *
 * <p>Memory is bounded: at most {@value #MAX_ADDRESSES} addresses are tracked, an address is forgotten
 * {@value #FORGET_AFTER_MINUTES} minutes after its last failure or at its first success, and when the table
 * is full of recent failures a new address is not tracked (it gains nothing over the addresses it would
 * need to fill the table).
 */
final class LoginThrottle {
    /** What a login attempt must do before its password is checked. */
    record Decision(boolean refused, long waitNanos) {
        static final Decision NOW = new Decision(false, 0);
        static final Decision REFUSED = new Decision(true, 0);
    }

    static final int FREE_FAILURES = 3;
    static final long FIRST_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final int MAX_ADDRESSES = 10_000;
    static final long FORGET_AFTER_MINUTES = 15;
    private static final long FORGET_AFTER_NANOS = TimeUnit.MINUTES.toNanos(FORGET_AFTER_MINUTES);

    private static final class Failures {
        int count;
        long lastFailure;
        /** The earliest time the next password check from this address may run. */
        long nextCheck;
    }

    private final LongSupplier clock;
    private final Map<String, Failures> byAddress = new HashMap<>();

    LoginThrottle(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    LoginThrottle() {
        this(System::nanoTime);
    }

    /** Reserves the next check slot of {@code address}: how long to wait first, or refused without a check. */
    synchronized Decision beforeCheck(String address) {
        long now = clock.getAsLong();
        Failures failures = current(address, now);
        if (failures == null || failures.count < FREE_FAILURES) {
            return Decision.NOW;
        }
        long start = Math.max(now, failures.nextCheck);
        long wait = start - now;
        if (wait > MAX_DELAY_NANOS) {
            return Decision.REFUSED;
        }
        failures.nextCheck = start + delay(failures.count);
        return new Decision(false, wait);
    }

    /** Records a failed check; answers the failures in a row from {@code address}. */
    synchronized int failed(String address) {
        long now = clock.getAsLong();
        Failures failures = current(address, now);
        if (failures == null) {
            if (byAddress.size() >= MAX_ADDRESSES && !forgetOld(now)) {
                return 1;
            }
            failures = new Failures();
            byAddress.put(address, failures);
        }
        failures.count++;
        failures.lastFailure = now;
        failures.nextCheck = Math.max(failures.nextCheck, now + delay(failures.count));
        return failures.count;
    }

    /** A right password: the address starts afresh. */
    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    /** The wait before the next check after {@code count} failures in a row. */
    static long delay(int count) {
        if (count < FREE_FAILURES) {
            return 0;
        }
        int doublings = Math.min(count - FREE_FAILURES, 16);
        return Math.min(FIRST_DELAY_NANOS << doublings, MAX_DELAY_NANOS);
    }

    private Failures current(String address, long now) {
        Failures failures = byAddress.get(address);
        if (failures != null && now - failures.lastFailure > FORGET_AFTER_NANOS) {
            byAddress.remove(address);
            return null;
        }
        return failures;
    }

    /** Drops the addresses whose failures are old; answers whether there is room now. */
    private boolean forgetOld(long now) {
        for (Iterator<Failures> it = byAddress.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastFailure > FORGET_AFTER_NANOS) {
                it.remove();
            }
        }
        return byAddress.size() < MAX_ADDRESSES;
    }
}
