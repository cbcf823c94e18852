package dev.certgate.launcher.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The JSON body of an error Jetty answers by itself, outside the web application's servlets (whose errors go
 * to its error page, {@code dev.certgate.web.ErrorPageServlet}): a request Jetty could not parse, a URI or
 * header section too large, and the admin security constraint's refusals. The shapes are that error page's
 * (CONTRACT §4): ARM under {@code /admin}, the gateway's elsewhere; never a stack trace or a class name. The
 * launcher cannot load the web application's classes, hence this small copy of their vocabulary
 * ({@code dev.certgate.api.ErrorCode} and the gateway messages).
 */
final class JsonErrors {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);
    private static final String ADMIN_PATH = "/admin";
    private static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final String REQUEST_ID_ATTRIBUTE = JsonErrors.class.getName() + ".requestId";

    private record Reason(String code, String message) {
    }

    private static final Map<Integer, Reason> REASONS = Map.of(
            400, new Reason("BadRequest", "Bad request"),
            401, new Reason("Unauthorized", "Unauthorized"),
            403, new Reason("Forbidden", "The user is not in role certgate-admin"),
            404, new Reason("ResourceNotFound", "Resource not found"),
            405, new Reason("MethodNotAllowed", "Method not allowed"),
            413, new Reason("PayloadTooLarge", "The request body is too large"),
            414, new Reason("UriTooLong", "The request URI is too long"),
            431, new Reason("RequestHeaderFieldsTooLarge", "The request's header fields are too large"),
            500, new Reason("InternalError", "Internal error; the gateway's log has the cause under the requestId"));

    private JsonErrors() {
    }

    /**
     * Gives the error answer its request id before its body is written: in {@code X-Request-Id} where the answer has
     * the gateway's shape, as every proxied answer carries it, and for {@link #body} to name.
     */
    static void assignRequestId(Request request, Response response) {
        String requestId = UUID.randomUUID().toString();
        request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        if (!isAdmin(pathOf(request))) {
            response.getHeaders().put(REQUEST_ID_HEADER, requestId);
        }
    }

    /** The body for {@code status}, logging an unexpected {@code cause} under the requestId the body names. */
    static String body(Request request, int status, Throwable cause) {
        String requestId = request.getAttribute(REQUEST_ID_ATTRIBUTE) instanceof String assigned
                ? assigned : UUID.randomUUID().toString();
        String path = pathOf(request);
        if (cause != null && status >= HttpStatus.INTERNAL_SERVER_ERROR_500) {
            LOG.error("{} {} failed with {} (requestId {})", request.getMethod(), path, status, requestId, cause);
        } else {
            LOG.debug("{} {} answered {} by the server (requestId {}): {}", request.getMethod(), path, status,
                    requestId, cause == null ? "-" : cause.toString());
        }
        Reason reason = REASONS.getOrDefault(status, new Reason(
                HttpStatus.getMessage(status).replace(" ", "").replace("-", ""), HttpStatus.getMessage(status)));
        String pathRefusal = status == HttpStatus.BAD_REQUEST_400 ? pathRefusal(request.getHttpURI()) : null;
        if (!isAdmin(path)) {
            String message = pathRefusal != null ? pathRefusal : reason.message();
            return "{\"statusCode\":" + status + ",\"message\":" + quote(message) + ",\"reason\":"
                    + quote(reason.code()) + ",\"requestId\":" + quote(requestId) + "}";
        }
        String message = switch (status) {
            case HttpStatus.BAD_REQUEST_400 -> pathRefusal != null ? pathRefusal
                    : "The request is malformed (request line, header fields or body framing) and was not processed";
            case HttpStatus.UNAUTHORIZED_401 -> unauthorized(request.getHeaders().get(HttpHeader.AUTHORIZATION));
            case HttpStatus.INTERNAL_SERVER_ERROR_500 ->
                    "Internal error; the server log has the cause under requestId " + requestId;
            default -> reason.message();
        };
        return "{\"error\":{\"code\":" + quote(reason.code()) + ",\"message\":" + quote(message)
                + ",\"details\":[]}}";
    }

    /**
     * Why the path was refused, where Jetty refused it as ambiguous (the escapes it will not decode, as they would
     * change how the path splits into segments), or null. An id cannot hold a '/' for that reason: say so, rather
     * than call the request malformed.
     */
    private static String pathRefusal(HttpURI uri) {
        if (uri == null || !uri.hasViolations()) {
            return null;
        }
        if (uri.hasAmbiguousSeparator()) {
            return "The path holds an encoded '/' (%2F), which is refused: a path segment or an id cannot contain '/'";
        }
        if (uri.hasAmbiguousSegment()) {
            return "The path holds an encoded dot segment (such as %2E%2E), which is refused";
        }
        if (uri.hasAmbiguousEncoding()) {
            return "The path holds an escape that decodes to another escape (such as %25), which is refused";
        }
        return "The path is refused: " + uri.getViolations().stream().map(UriCompliance.Violation::getDescription)
                .collect(Collectors.joining("; "));
    }

    /** What to do about a 401: send credentials, send them in the right form, or send the right ones. */
    private static String unauthorized(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return "The admin API needs the credentials of a user in role certgate-admin, "
                    + "sent as HTTP Basic authentication";
        }
        if (!isBasicCredentials(authorization.strip())) {
            return "The Authorization header is not HTTP Basic credentials: send 'Basic ' followed by the base64 "
                    + "of user:password";
        }
        return "The user name or password was not accepted";
    }

    private static boolean isBasicCredentials(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            return new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8).indexOf(':') >= 0;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /**
     * The path as the server routes it (escapes decoded, dot segments removed), so that {@code /%61dmin/status} and
     * {@code /x/../admin/status} count as admin paths; the raw path where it cannot be decoded, and null where the
     * server refused the request line before it had a path (414, an escaped NUL): such an answer takes the
     * gateway's shape.
     */
    private static String pathOf(Request request) {
        HttpURI uri = request.getHttpURI();
        if (uri == null) {
            return null;
        }
        String canonical = uri.getCanonicalPath();
        return canonical != null ? canonical : uri.getPath();
    }

    /** {@code /admin} itself or anything below it, path parameters included. */
    private static boolean isAdmin(String path) {
        return path != null && path.startsWith(ADMIN_PATH) && (path.length() == ADMIN_PATH.length()
                || path.charAt(ADMIN_PATH.length()) == '/' || path.charAt(ADMIN_PATH.length()) == ';');
    }

    /** A JSON string of text this class wrote (no control characters), quotes and backslashes escaped. */
    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
