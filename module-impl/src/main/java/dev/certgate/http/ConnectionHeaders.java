package dev.certgate.http;

import java.util.Set;

/**
 * The header fields that describe one connection or frame one message rather than say something about the
 * message (RFC 9110 §7.6.1, RFC 9112 §6): the one list that the proxy strips and that policies may not set.
 */
public final class ConnectionHeaders {
    /** Lower case; every other {@code Proxy-*} field is hop-by-hop too. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade");

    private ConnectionHeaders() {
    }

    /** Whether the field belongs to one connection only; {@code lowerCaseName} must be lower case. */
    public static boolean isHopByHop(String lowerCaseName) {
        return HOP_BY_HOP.contains(lowerCaseName) || lowerCaseName.startsWith("proxy-");
    }

    /**
     * Whether only the proxy may set the field: the hop-by-hop ones, {@code Content-Length} (the proxy frames
     * the bodies it streams; a wrong length breaks every message) and {@code Expect} (100-continue is agreed on
     * each hop, and a back end told to expect it would wait). {@code lowerCaseName} must be lower case.
     */
    public static boolean isReservedForTheProxy(String lowerCaseName) {
        return isHopByHop(lowerCaseName) || lowerCaseName.equals("content-length") || lowerCaseName.equals("expect");
    }
}
