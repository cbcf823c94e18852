package dev.certgate.outbound;

import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.URIAuthority;

import java.net.URI;
import java.util.Locale;

/**
 * Which back-end redirects {@code forward-request follow-redirects="true"} follows: only those that send the caller's
 * request again unchanged to the same back end (scheme, host and port). Any other redirect goes to the caller as
 * the back end sent it, as it does without the setting:
 * <ul>
 *   <li>to another origin, so the client certificate is presented to no server but the API's back end, and never
 *       over plain HTTP after HTTPS;</li>
 *   <li>for a request with a body, which is streamed from the caller and cannot be sent twice (HttpClient would
 *       otherwise drop the answer and leave the caller without one);</li>
 *   <li>one HttpClient would turn into a new GET (301 or 302 to a POST, 303 to anything but GET and HEAD), which
 *       carries none of the caller's header fields.</li>
 * </ul>
 */
public final class FollowedRedirects extends DefaultRedirectStrategy {
    /** Context attribute set when the request carries a body: such a request is never redirected. */
    public static final String REQUEST_HAS_BODY = "dev.certgate.outbound.request-has-body";

    @Override
    public boolean isRedirected(HttpRequest request, HttpResponse response, HttpContext context)
            throws org.apache.hc.core5.http.ProtocolException {
        if (!super.isRedirected(request, response, context) || context.getAttribute(REQUEST_HAS_BODY) != null
                || !repeatsTheRequest(request.getMethod(), response.getCode())) {
            return false;
        }
        try {
            return sameOrigin(request, getLocationURI(request, response, context));
        } catch (HttpException unusableLocation) {
            return false; // the caller gets the redirect, Location and all, and can judge it
        }
    }

    private static boolean repeatsTheRequest(String method, int status) {
        return switch (status) {
            case HttpStatus.SC_MOVED_PERMANENTLY, HttpStatus.SC_MOVED_TEMPORARILY -> !Method.POST.isSame(method);
            case HttpStatus.SC_SEE_OTHER -> Method.GET.isSame(method) || Method.HEAD.isSame(method);
            default -> true; // 307 and 308 keep the method
        };
    }

    static boolean sameOrigin(HttpRequest request, URI location) {
        URIAuthority authority = request.getAuthority();
        String scheme = request.getScheme();
        if (authority == null || scheme == null || location.getScheme() == null || location.getHost() == null) {
            return false;
        }
        return scheme.equalsIgnoreCase(location.getScheme())
                && authority.getHostName().equalsIgnoreCase(location.getHost())
                && port(scheme, authority.getPort()) == port(location.getScheme(), location.getPort());
    }

    private static int port(String scheme, int port) {
        if (port >= 0) {
            return port;
        }
        return "https".equals(scheme.toLowerCase(Locale.ROOT)) ? 443 : 80;
    }
}
