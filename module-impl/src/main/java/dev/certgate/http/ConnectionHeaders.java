package dev.certgate.http;

/**
 * The header fields that describe one connection or frame one message rather than say something about the
 * message (RFC 9110 §7.6.1, RFC 9112 §6): the one list that the proxy strips and that policies may not set.
 */
public final class ConnectionHeaders {
    private static final String PROXY_PREFIX = "proxy-"; // every Proxy-* field is hop-by-hop

    private ConnectionHeaders() {
    }

    /**
     * Whether the field belongs to one connection only: Connection, Keep-Alive, TE, Trailer, Transfer-Encoding,
     * Upgrade and every {@code Proxy-*} field, in any case. Checked for every header of every message, so it
     * compares in place rather than lower-casing the name.
     */
    public static boolean isHopByHop(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te");
            case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            default -> false;
        } || name.regionMatches(true, 0, PROXY_PREFIX, 0, PROXY_PREFIX.length());
    }

    /**
     * Whether only the proxy may set the field: the hop-by-hop ones, {@code Content-Length} (the proxy frames
     * the bodies it streams; a wrong length breaks every message) and {@code Expect} (100-continue is agreed on
     * each hop, and a back end told to expect it would wait). In any case.
     */
    public static boolean isReservedForTheProxy(String name) {
        return isHopByHop(name) || name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("expect");
    }
}
