package dev.certgate.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What an {@code Authorization} header says about who tried to log in, for the log: the user name of HTTP
 * Basic credentials, never the password (it is dropped as soon as the header is split).
 */
record BasicCredentials(Kind kind, String user) {
    enum Kind {
        /** No Authorization header: a first request, answered with the challenge. */
        NONE,
        /** Basic credentials that decode to {@code user:password}. */
        BASIC,
        /** Another scheme than Basic. */
        NOT_BASIC,
        /** {@code Basic}, but not followed by the base64 of {@code user:password}. */
        MALFORMED
    }

    private static final int MAX_LOGGED_USER = 64;

    static BasicCredentials of(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new BasicCredentials(Kind.NONE, null);
        }
        String value = authorization.strip();
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return new BasicCredentials(value.equalsIgnoreCase("Basic") ? Kind.MALFORMED : Kind.NOT_BASIC, null);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return new BasicCredentials(Kind.MALFORMED, null);
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? new BasicCredentials(Kind.MALFORMED, null)
                : new BasicCredentials(Kind.BASIC, decoded.substring(0, colon));
    }

    /** The user name as it may go into a log line: quoted, control characters replaced, length capped. */
    String userForLog() {
        if (user == null) {
            return "(none)";
        }
        StringBuilder safe = new StringBuilder("'");
        user.codePoints().limit(MAX_LOGGED_USER)
                .forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return safe.append(user.codePointCount(0, user.length()) > MAX_LOGGED_USER ? "...'" : "'").toString();
    }
}
