package dev.certgate.proxy;

import dev.certgate.certs.MasterKey;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Arrays;
import java.util.Enumeration;

/**
 * The gateway's {@code Via} entry (RFC 9110 §7.6.3), {@code <protocol> <pseudonym>}, appended to every
 * forwarded request (a gateway must; on responses it may, and Certgate does not, so callers learn nothing of
 * it); a request that already carries it has come round (an API whose back end is the gateway itself) and is
 * refused instead of forwarded once more.
 */
public final class Via {
    static final String HEADER = "Via";

    private final String pseudonym;
    private final String http11;
    private final String http10;

    /** @param pseudonym a token that names this gateway, such as {@link #pseudonym(MasterKey)} */
    Via(String pseudonym) {
        this.pseudonym = pseudonym;
        this.http11 = "1.1 " + pseudonym;
        this.http10 = "1.0 " + pseudonym;
    }

    /**
     * {@code certgate-} and 12 hex digits derived from the home's master key: every instance that shares a
     * home (and so its key) has the same name, so a loop through a load balancer is caught at its first
     * return whichever instance it reaches; the name stays across restarts; it needs no file of its own, so
     * it works on a read-only home; and it tells nothing about the key.
     */
    public static String pseudonym(MasterKey masterKey) {
        char[] derived = masterKey.derivePassword("via-pseudonym");
        String name = "certgate-" + new String(derived, 0, 12);
        Arrays.fill(derived, '\0');
        return name;
    }

    /** True when a {@code Via} field of the request names this gateway as a recipient. */
    boolean passedHere(HttpServletRequest request) {
        if (request.getHeader(HEADER) == null) {
            return false;
        }
        for (Enumeration<String> values = request.getHeaders(HEADER); values.hasMoreElements(); ) {
            if (names(values.nextElement())) {
                return true;
            }
        }
        return false;
    }

    /** Appends this gateway's entry, after those of the proxies before it. */
    void append(Headers headers, HttpServletRequest request) {
        headers.appendToList(HEADER, entry(request.getProtocol()));
    }

    /** The received-by part of an entry is the pseudonym, after the protocol and whitespace, before ',' ':' or a comment. */
    private boolean names(String value) {
        for (int at = value.indexOf(pseudonym); at >= 0; at = value.indexOf(pseudonym, at + 1)) {
            int end = at + pseudonym.length();
            boolean startsToken = at > 0 && (value.charAt(at - 1) == ' ' || value.charAt(at - 1) == '\t');
            boolean endsToken = end == value.length() || ", \t:".indexOf(value.charAt(end)) >= 0;
            if (startsToken && endsToken) {
                return true;
            }
        }
        return false;
    }

    /** {@code HTTP/1.1} received is "1.1", {@code HTTP/2.0} is "2" (the version without the protocol name when it is HTTP). */
    private String entry(String protocol) {
        if ("HTTP/1.1".equals(protocol)) {
            return http11;
        }
        if ("HTTP/1.0".equals(protocol)) {
            return http10;
        }
        String version = protocol != null && protocol.startsWith("HTTP/") ? protocol.substring(5) : "1.1";
        if (version.endsWith(".0")) {
            version = version.substring(0, version.length() - 2);
        }
        return version + " " + pseudonym;
    }
}
