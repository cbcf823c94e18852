package dev.certgate.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Web origins (RFC 6454) in one form, so that a configured {@code https://App.example/} and the {@code Origin:
 * https://app.example:443} a browser sends compare equal: scheme and host in lower case, the port always given
 * (APIM: "if the port is omitted, port 80 is used for HTTP and port 443 for HTTPS").
 */
public final class Origins {
    private Origins() {
    }

    /** {@code scheme://host:port}, or null when {@code origin} is not one (a path, a query, no host, "null"). */
    public static String normalize(String origin) {
        if (origin == null) {
            return null;
        }
        try {
            URI uri = new URI(origin.trim());
            String path = uri.getRawPath();
            if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || path != null && !path.isEmpty() && !path.equals("/")) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() >= 0 ? uri.getPort()
                    : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port >= 0 ? ":" + port : "");
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
