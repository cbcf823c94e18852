package dev.certgate.proxy;

import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code X-Forwarded-*} fields of a forwarded request. {@code -For} grows along the chain (the peer's
 * address is appended). {@code -Host} and {@code -Proto} name the host and scheme the request reached the
 * gateway with, as the container reports them; a caller's own values would let anyone claim any host or
 * {@code https}, so they are replaced, and kept (with the gateway's appended) only from a trusted proxy. The other
 * fields that make such claims ({@link #isClaim}: {@code Forwarded}, which Spring for one reads before
 * {@code X-Forwarded-*}, the other {@code X-Forwarded-*}, {@code X-Real-IP}, …) are kept from a trusted proxy and
 * dropped from anyone else.
 */
final class ForwardedHeaders {
    static final String FOR = "X-Forwarded-For";
    static final String HOST = "X-Forwarded-Host";
    static final String PROTO = "X-Forwarded-Proto";
    private static final int X_FORWARDED_PREFIX_LENGTH = "X-Forwarded-".length();
    private static final List<String> OTHER_CLAIMS =
            List.of("Forwarded", "X-Real-IP", "X-Proxied-Https", "Proxy-auth-cert", "Proxy-ssl-id");

    private final TrustedProxies trustedProxies;

    ForwardedHeaders(TrustedProxies trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    /** Adds the fields to {@code headers}, which hold the caller's request headers. */
    void add(Headers headers, HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        headers.appendToList(FOR, peer);
        String scheme = request.getScheme();
        String host = host(request, scheme);
        List<String> claims = claimsMade(headers);
        // The address check runs only when there is something of the caller's to keep.
        if (!claims.isEmpty() && !trustedProxies.isEmpty() && trustedProxies.trusts(peer)) {
            headers.appendToList(PROTO, scheme);
            headers.appendToList(HOST, host);
        } else {
            claims.forEach(headers::remove);
            headers.set(PROTO, List.of(scheme));
            headers.set(HOST, List.of(host));
        }
    }

    /** The caller's fields that claim something about the original request, but X-Forwarded-For. */
    private static List<String> claimsMade(Headers headers) {
        List<String> claims = new ArrayList<>(0);
        headers.forEachField((name, values) -> {
            if (isClaim(name)) {
                claims.add(name);
            }
        });
        return claims;
    }

    /**
     * X-Forwarded-* but -For (-Host, -Proto, -Port, -Prefix, which Spring applies to the links a back end builds,
     * -Ssl, -Server), Forwarded, X-Real-IP, and what Jetty's ForwardedRequestCustomizer reads to mark a request
     * secure or give it a client certificate (X-Proxied-Https, Proxy-auth-cert, Proxy-ssl-id).
     */
    private static boolean isClaim(String name) {
        if (name.regionMatches(true, 0, "X-Forwarded-", 0, X_FORWARDED_PREFIX_LENGTH)) {
            return !name.equalsIgnoreCase(FOR);
        }
        for (String claim : OTHER_CLAIMS) {
            if (claim.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server name and port the container reports: the caller's {@code Host}, or, behind Jetty's
     * {@code ForwardedRequestCustomizer} or Tomcat's {@code RemoteIpValve}, the original caller's host.
     */
    private static String host(HttpServletRequest request, String scheme) {
        String name = request.getServerName();
        if (name.indexOf(':') >= 0 && !name.startsWith("[")) {
            name = "[" + name + "]"; // an IPv6 literal, as it appears in a Host field
        }
        int port = request.getServerPort();
        boolean defaultPort = port <= 0 || port == 80 && "http".equalsIgnoreCase(scheme)
                || port == 443 && "https".equalsIgnoreCase(scheme);
        return defaultPort ? name : name + ":" + port;
    }
}
