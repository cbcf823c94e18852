package dev.certgate.proxy;

/**
 * The path the gateway routes on and forwards: the raw (still encoded) request path with RFC 3986 §5.2.4
 * dot segments removed. Forms that change meaning once a back end decodes or strips them are refused
 * rather than guessed at: encoded dot segments ({@code %2e%2e}, {@code .%2E}), an encoded {@code /} or
 * {@code \} inside a segment, any {@code \}, a dot segment with a path parameter ({@code ..;x}, which
 * Tomcat and Jetty read as {@code ..}), and {@code ..} that climbs above the root. So no {@code .} or
 * {@code ..} segment, raw or encoded, reaches a back end.
 */
final class RequestPath {
    /** A path the gateway will not route or forward; the message says why and is safe to show the caller. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false); // an answer to the caller, not a failure: no stack to fill
        }
    }

    static final String CLIMBS = "The request path climbs above the gateway's root with '..' segments";
    static final String OUTSIDE = "The request path, once its '.' and '..' segments are removed, is not below the"
            + " gateway's context path";
    static final String ENCODED_DOT = "The request path has an encoded '.' or '..' segment (%2e); send dot segments"
            + " unencoded, or better not at all";
    static final String ENCODED_SEPARATOR = "The request path has an encoded '/' or '\\' (%2f, %5c) inside a segment";
    static final String BACKSLASH = "The request path has a '\\'; use '/' to separate segments";
    static final String REWRITTEN = "A request parameter that rewrite-uri puts into the path makes a '.' or '..'"
            + " segment or an encoded '/' or '\\' there";
    static final String DOT_PARAMETER = "The request path has a '.' or '..' segment with a path parameter (';')";

    private RequestPath() {
    }

    /**
     * The normalised path below {@code prefix} (the context path, plus a prefix mapping's servlet path): "/" at
     * the prefix itself. The whole URI is normalised first, as the container did to dispatch the request.
     *
     * @throws Refused if either cannot be normalised safely or the path does not lie below the prefix
     */
    static String below(String rawUri, String prefix) {
        String path = normalise(rawUri);
        String root = normalise(prefix);
        if (!root.isEmpty()) {
            if (!path.startsWith(root) || path.length() > root.length() && path.charAt(root.length()) != '/') {
                throw new Refused(OUTSIDE);
            }
            path = path.substring(root.length());
        }
        return path.isEmpty() ? "/" : path;
    }

    /**
     * {@code raw} without its '.' and '..' segments; {@code raw} itself (no copy) when it has none, which a
     * scan for '.', '%' and '\' settles for most paths.
     *
     * @throws Refused if the path cannot be normalised safely
     */
    static String normalise(String raw) {
        int length = raw.length();
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            if (c == '.' || c == '%' || c == '\\') {
                return checked(raw);
            }
        }
        return raw;
    }

    /** Checks every segment; rebuilds the path only if it has a plain '.' or '..' segment to remove. */
    private static String checked(String raw) {
        boolean dotSegments = false;
        int start = 0;
        while (start <= raw.length()) {
            int end = raw.indexOf('/', start);
            if (end < 0) {
                end = raw.length();
            }
            if (dots(raw, start, end) > 0) {
                dotSegments = true;
            }
            start = end + 1;
        }
        String path = raw;
        if (dotSegments) {
            if (!raw.startsWith("/")) {
                throw new Refused(CLIMBS); // no root to resolve against; request and context paths always have one
            }
            path = removeDotSegments(raw);
        }
        return decodeUnreserved(path);
    }

    /**
     * {@code path} with escapes of unreserved characters (letters, digits, '-', '_', '~') decoded: RFC 3986 §6.2.2.2
     * makes {@code /%6Frders} and {@code /orders} one path, so it is routed as one (otherwise it would miss the
     * {@code orders} API and reach a shorter one, the root API say, with that API's policies). Every other escape
     * stays as the caller wrote it.
     */
    private static String decodeUnreserved(String path) {
        StringBuilder decoded = null;
        int copied = 0;
        for (int i = path.indexOf('%'); i >= 0 && i + 2 < path.length(); i = path.indexOf('%', i + 1)) {
            int high = Character.digit(path.charAt(i + 1), 16);
            int low = Character.digit(path.charAt(i + 2), 16);
            if (high < 0 || low < 0 || !unreserved((char) (high << 4 | low))) {
                continue;
            }
            int value = high << 4 | low;
            if (decoded == null) {
                decoded = new StringBuilder(path.length());
            }
            decoded.append(path, copied, i).append((char) value);
            copied = i + 3;
        }
        return decoded == null ? path : decoded.append(path, copied, path.length()).toString();
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                || c == '~';
    }

    /**
     * 1 for ".", 2 for "..", 0 for any other segment {@code raw[start, end)}.
     *
     * @throws Refused for a segment that is unsafe to forward as it is
     */
    private static int dots(String raw, int start, int end) {
        int name = end; // the segment's name ends at its first path parameter
        boolean encoded = false;
        int dots = 0;
        boolean other = false;
        int i = start;
        while (i < end) {
            char c = raw.charAt(i);
            if (c == '\\') {
                throw new Refused(BACKSLASH);
            }
            if (c == ';' && name == end) {
                name = i;
            }
            if (c == '%' && i + 2 < end) {
                char high = raw.charAt(i + 1);
                char low = raw.charAt(i + 2);
                if (high == '2' && (low == 'f' || low == 'F') || high == '5' && (low == 'c' || low == 'C')) {
                    throw new Refused(ENCODED_SEPARATOR);
                }
                if (i < name && high == '2' && (low == 'e' || low == 'E')) {
                    encoded = true;
                    dots++;
                    i += 3;
                    continue;
                }
            }
            if (i < name) {
                if (c == '.') {
                    dots++;
                } else {
                    other = true;
                }
            }
            i++;
        }
        if (other || dots == 0 || dots > 2) {
            return 0;
        }
        if (encoded) {
            throw new Refused(ENCODED_DOT);
        }
        if (name < end) {
            throw new Refused(DOT_PARAMETER);
        }
        return dots;
    }

    /**
     * RFC 3986 §5.2.4 on a path already checked that starts with '/', except that '..' above the root is refused, not dropped.
     */
    private static String removeDotSegments(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        int start = 1;
        while (start <= raw.length()) {
            int end = raw.indexOf('/', start);
            boolean last = end < 0;
            if (last) {
                end = raw.length();
            }
            int dots = dots(raw, start, end);
            if (dots == 2) {
                int slash = out.lastIndexOf("/");
                if (slash < 0) {
                    throw new Refused(CLIMBS);
                }
                out.setLength(slash);
            }
            if (dots == 0) {
                out.append('/').append(raw, start, end);
            } else if (last) {
                out.append('/'); // "/a/b/.." is "/a/": the path still names a directory
            }
            start = end + 1;
        }
        return out.toString();
    }
}
