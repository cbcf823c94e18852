package dev.certgate.proxy;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The gateway's id of each request, answered in {@link #HEADER} and in error bodies and logged with every line
 * about the request. Version-4 UUIDs from a thread-local generator: ids must be unique, not unguessable, and
 * {@code UUID.randomUUID()}'s shared SecureRandom would cost every request a lock.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    /** The request attribute that holds the id of a request the proxy took. */
    public static final String ATTRIBUTE = RequestIds.class.getName();

    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }
}
