package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.http.HttpUrls;

import org.apache.hc.core5.http.HttpHost;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A parsed back-end base URL: the host to connect to, the path prefix every request goes under, and the URL's own
 * query (raw; null for none), which every request carries ahead of the caller's: a key in it ({@code ?code=} of an
 * Azure Function, a Logic App's {@code sig}) is the back end's, not something to drop.
 */
record BackendTarget(HttpHost host, String pathPrefix, String baseQuery) {

    /**
     * @param apiId the API routed to {@code baseUrl}, named in the error a missing or broken URL gives (a
     *              configuration gap the loader could not see: the policy chose no back end)
     */
    static BackendTarget parse(String baseUrl, String apiId) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new CertgateException(ErrorCode.CONFIGURATION_ERROR, "API \"" + apiId + "\" has no back end: set its"
                    + " serviceUrl, or route it with set-backend-service (base-url or backend-id) in its policy");
        }
        URI uri = HttpUrls.parse(baseUrl.trim());
        try {
            if (uri == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            String prefix = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            String query = uri.getRawQuery() == null || uri.getRawQuery().isEmpty() ? null : uri.getRawQuery();
            return new BackendTarget(HttpHost.create(uri), prefix, query);
        } catch (IllegalArgumentException e) {
            throw new CertgateException(ErrorCode.CONFIGURATION_ERROR, "API \"" + apiId + "\" routes to a back-end URL"
                    + " that is not an absolute http(s) URL: correct its serviceUrl or set-backend-service",
                    List.of(), e);
        }
    }

    /**
     * The request-target for the back end: prefix + path + {@code ?} + the base URL's query and then
     * {@code query}, all raw, but for characters beyond ASCII,
     * which some callers send unencoded and the container hands over decoded from UTF-8: they go out
     * percent-encoded as UTF-8 (RFC 3986), since a request line carries bytes below 0x80 only and HttpCore would
     * write them as one Latin-1 byte or '?'.
     */
    String requestUri(String path, String query) {
        String p = pathPrefix + (path == null ? "" : path);
        if (p.isEmpty()) {
            p = "/";
        }
        String q = baseQuery == null ? query : query == null || query.isEmpty() ? baseQuery : baseQuery + "&" + query;
        return asciiOnly(q == null ? p : p + "?" + q);
    }

    private static String asciiOnly(String target) {
        int first = 0;
        while (first < target.length() && target.charAt(first) < 0x80) {
            first++;
        }
        if (first == target.length()) {
            return target; // nearly every request: no copy
        }
        StringBuilder encoded = new StringBuilder(target.length() + 16).append(target, 0, first);
        for (int i = first; i < target.length(); ) {
            int codePoint = target.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            if (codePoint < 0x80) {
                encoded.append((char) codePoint);
            } else {
                for (byte b : target.substring(i, next).getBytes(StandardCharsets.UTF_8)) {
                    encoded.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
            i = next;
        }
        return encoded.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
