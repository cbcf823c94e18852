package dev.certgate.proxy;

import dev.certgate.http.ConnectionHeaders;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), removed from requests and
 * responses alike, together with every field that {@code Connection} names.
 */
final class HopByHop {
    private HopByHop() {
    }

    /** In any case. */
    static boolean is(String name) {
        return ConnectionHeaders.isHopByHop(name);
    }

    /**
     * The field names listed in {@code Connection} header values, lower case; empty set when none. Keep-Alive is
     * left out: it is hop-by-hop anyway, and {@code Connection: keep-alive} is on almost every HTTP/1.1 message.
     */
    static Set<String> connectionTokens(Iterable<String> connectionValues) {
        Set<String> tokens = null;
        for (String value : connectionValues) {
            if (value.equalsIgnoreCase("keep-alive")) {
                continue;
            }
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("keep-alive")) {
                    if (tokens == null) {
                        tokens = new HashSet<>();
                    }
                    tokens.add(name);
                }
            }
        }
        return tokens == null ? Set.of() : tokens;
    }

    /** Whether {@code tokens} (from {@link #connectionTokens}) names the field, in any case. */
    static boolean named(Set<String> tokens, String name) {
        return !tokens.isEmpty() && tokens.contains(name.toLowerCase(Locale.ROOT));
    }
}
