package dev.certgate.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one rule for a back-end URL (a service URL, a backend's {@code url}, {@code set-backend-service base-url}):
 * absolute, http or https, with a host. The loader, the policy reader and the proxy all ask here, so a URL the
 * configuration accepts is one the proxy can route to.
 */
public final class HttpUrls {
    private HttpUrls() {
    }

    /** The URL parsed, or null when it is not an absolute http or https URL with a host. */
    public static URI parse(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    public static boolean isHttpUrl(String url) {
        return parse(url) != null;
    }
}
