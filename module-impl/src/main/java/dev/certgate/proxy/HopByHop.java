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

    /** {@code lowerCaseName} must be lower case. */
    static boolean is(String lowerCaseName) {
        return ConnectionHeaders.isHopByHop(lowerCaseName);
    }

    /** The field names listed in {@code Connection} header values, lower case; empty set when none. */
    static Set<String> connectionTokens(Iterable<String> connectionValues) {
        Set<String> tokens = null;
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    if (tokens == null) {
                        tokens = new HashSet<>();
                    }
                    tokens.add(name);
                }
            }
        }
        return tokens == null ? Set.of() : tokens;
    }
}
