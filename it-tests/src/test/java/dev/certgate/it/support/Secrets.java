package dev.certgate.it.support;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every secret the ITs have used (passwords, keys): none of them may ever show up in the server's log. */
public final class Secrets {
    private static final Set<String> USED = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /** Remembers {@code secret} for the log scan and returns it. */
    public static String remember(String secret) {
        USED.add(secret);
        return secret;
    }

    static List<String> all() {
        return List.copyOf(USED);
    }
}
