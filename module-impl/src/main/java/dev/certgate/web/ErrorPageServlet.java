package dev.certgate.web;

import dev.certgate.api.ErrorCode;
import dev.certgate.api.model.ArmError;
import dev.certgate.api.model.GatewayError;
import dev.certgate.config.Json;
import dev.certgate.proxy.GatewayErrors;
import dev.certgate.proxy.RequestIds;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The web application's error page: every error the container answers by itself (refused credentials, a
 * request it could not read, an exception nobody caught) gets the contract's JSON instead of the container's
 * HTML page with its stack trace: the ARM shape under {@code /admin}, the gateway's shape everywhere else
 * (CONTRACT §4). The shape follows the path the caller asked for, not this servlet's own. Unexpected
 * exceptions are logged with their stack under the requestId the answer names; failed admin logins are
 * logged with user name and address, never the password.
 */
public class ErrorPageServlet extends HttpServlet {
    /** Init-param: the realm of the {@code WWW-Authenticate} challenge, as web.xml's login-config names it. */
    public static final String REALM_PARAMETER = "realm";
    static final String ADMIN_PATH = "/admin";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ErrorPageServlet.class);
    private static final Map<Integer, ErrorCode> ADMIN_CODES = codes(ErrorCode.ENTITY_NOT_FOUND);
    private static final Map<Integer, ErrorCode> GATEWAY_CODES = codes(ErrorCode.RESOURCE_NOT_FOUND);

    private String challenge = "Basic realm=\"certgate\"";

    @Override
    public void init() {
        String realm = getInitParameter(REALM_PARAMETER);
        if (realm != null && !realm.isBlank()) {
            challenge = "Basic realm=\"" + realm.strip() + "\"";
        }
    }

    /** Every method: an error dispatch keeps the method of the request that failed. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            // Part of an answer is out (Tomcat includes its error page even then): nothing can be said any more,
            // the container ends the connection, and the failure was logged where it happened.
            LOG.debug("{} {}: no error page, the answer had started", request.getMethod(), request.getRequestURI());
            return;
        }
        // The proxy's own id when the failure came from a request it took: one id per request, wherever it is seen.
        String requestId = request.getAttribute(RequestIds.ATTRIBUTE) instanceof String id ? id : RequestIds.next();
        BasicCredentials credentials = BasicCredentials.of(request.getHeader("Authorization"));
        Throwable failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        int status = status(request, response);
        boolean admin = isAdmin(request, status, credentials);
        if (admin && status == HttpServletResponse.SC_INTERNAL_SERVER_ERROR
                && credentials.kind() == BasicCredentials.Kind.MALFORMED) {
            // No admin call runs without valid credentials, so this failure is the container's authenticator
            // choking on the header (Jetty 12.0 throws on bad base64): a refused login, not a server fault.
            status = HttpServletResponse.SC_UNAUTHORIZED;
            failure = null;
        }
        if (!admin) {
            credentials = new BasicCredentials(BasicCredentials.Kind.NONE, null); // a back end's, not ours
        }
        log(request, status, failure, credentials, requestId);
        if (admin) {
            writeArm(response, status, credentials, requestId);
        } else {
            writeGateway(response, status, requestId);
        }
    }

    /**
     * The status the container chose. Jetty 12.0 dispatches the errors of its security handler without the
     * error attributes, with the status already on the response; a request that reaches this servlet directly
     * finds nothing.
     */
    private static int status(HttpServletRequest request, HttpServletResponse response) {
        if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status) {
            return status;
        }
        return request.getDispatcherType() == DispatcherType.ERROR && response.getStatus() >= 400
                ? response.getStatus() : HttpServletResponse.SC_NOT_FOUND;
    }

    /**
     * Whether the failed request was an admin call, by the path it asked for. Without that path (the Jetty 12.0
     * dispatches above, for errors raised before any servlet ran) only the admin security constraint can have
     * refused it: 401 or 403, or 500 when the authenticator threw on a malformed Basic header.
     */
    private static boolean isAdmin(HttpServletRequest request, int status, BasicCredentials credentials) {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            return true; // this servlet's own path is under /admin
        }
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            return isAdmin(belowContext(request, uri));
        }
        return status == HttpServletResponse.SC_UNAUTHORIZED || status == HttpServletResponse.SC_FORBIDDEN
                || status == HttpServletResponse.SC_INTERNAL_SERVER_ERROR
                && credentials.kind() == BasicCredentials.Kind.MALFORMED;
    }

    private static void log(HttpServletRequest request, int status, Throwable failure, BasicCredentials credentials,
                            String requestId) {
        String path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri
                ? belowContext(request, uri) : request.getDispatcherType() == DispatcherType.ERROR
                ? "(path not given by the container)" : belowContext(request, request.getRequestURI());
        if (status == HttpServletResponse.SC_UNAUTHORIZED && credentials.kind() != BasicCredentials.Kind.NONE) {
            if (credentials.kind() != BasicCredentials.Kind.BASIC) {
                LOG.warn("Admin login failed from {}: the Authorization header is not HTTP Basic credentials "
                        + "(requestId {})", request.getRemoteAddr(), requestId);
            } else {
                LOG.warn("Admin login failed for user {} from {} (requestId {})", credentials.userForLog(),
                        request.getRemoteAddr(), requestId);
            }
        } else if (failure != null && status >= HttpServletResponse.SC_INTERNAL_SERVER_ERROR) {
            LOG.error("{} {} failed with {} (requestId {})", request.getMethod(), path, status, requestId, failure);
        } else if (failure != null) {
            LOG.info("{} {} refused with {}: {} (requestId {})", request.getMethod(), path, status, failure,
                    requestId);
        } else {
            LOG.debug("{} {} answered {} by the container (requestId {})", request.getMethod(), path, status,
                    requestId);
        }
    }

    private void writeArm(HttpServletResponse response, int status, BasicCredentials credentials, String requestId)
            throws IOException {
        ErrorCode known = ADMIN_CODES.get(status);
        String code = known != null ? known.code() : reasonCode(status);
        String message = switch (status) {
            case HttpServletResponse.SC_UNAUTHORIZED -> switch (credentials.kind()) {
                case NONE -> "The admin API needs the credentials of a user in role certgate-admin, "
                        + "sent as HTTP Basic authentication";
                case NOT_BASIC, MALFORMED -> "The Authorization header is not HTTP Basic credentials: send "
                        + "'Basic ' followed by the base64 of user:password";
                case BASIC -> "The user name or password was not accepted";
            };
            case HttpServletResponse.SC_FORBIDDEN -> "The user is not in role certgate-admin";
            case HttpServletResponse.SC_BAD_REQUEST ->
                    "The request is malformed (request line, header fields or body framing) and was not processed";
            case HttpServletResponse.SC_INTERNAL_SERVER_ERROR ->
                    "Internal error; the server log has the cause under requestId " + requestId;
            default -> message(known, status);
        };
        byte[] body = Json.MAPPER.writeValueAsBytes(ArmError.of(code, message, List.of()));
        // Headers the container set for this error stay: WWW-Authenticate with a 401, Allow with a 405.
        response.resetBuffer();
        response.setStatus(status);
        if (status == HttpServletResponse.SC_UNAUTHORIZED && response.getHeader("WWW-Authenticate") == null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        send(response, body);
    }

    private static void writeGateway(HttpServletResponse response, int status, String requestId) throws IOException {
        ErrorCode known = GATEWAY_CODES.get(status);
        if (known != null) {
            GatewayErrors.write(response, known, requestId);
            return;
        }
        byte[] body = Json.MAPPER.writeValueAsBytes(
                new GatewayError(status, message(null, status), reasonCode(status), requestId));
        response.reset();
        response.setStatus(status);
        response.setHeader(RequestIds.HEADER, requestId);
        send(response, body);
    }

    private static void send(HttpServletResponse response, byte[] body) throws IOException {
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The container-level statuses that have a code of their own, with {@code notFound} for 404. */
    private static Map<Integer, ErrorCode> codes(ErrorCode notFound) {
        return Map.of(400, ErrorCode.BAD_REQUEST, 401, ErrorCode.UNAUTHORIZED, 403, ErrorCode.FORBIDDEN,
                404, notFound, 405, ErrorCode.METHOD_NOT_ALLOWED, 413, ErrorCode.PAYLOAD_TOO_LARGE,
                414, ErrorCode.URI_TOO_LONG, 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                431, ErrorCode.HEADER_FIELDS_TOO_LARGE, 500, ErrorCode.INTERNAL_ERROR);
    }

    private static String message(ErrorCode known, int status) {
        if (known == ErrorCode.ENTITY_NOT_FOUND) {
            return "Resource not found";
        }
        Response.Status phrase = Response.Status.fromStatusCode(status);
        return phrase == null ? "HTTP " + status : phrase.getReasonPhrase();
    }

    /** A code for a status without one of its own: its reason phrase in one word ("RequestTimeout"). */
    private static String reasonCode(int status) {
        return message(null, status).replace(" ", "").replace("-", "");
    }

    /** The raw path below the context path, such as {@code /admin/status}. */
    static String belowContext(HttpServletRequest request, String uri) {
        String context = request.getContextPath();
        return context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /** {@code /admin} itself or anything below it, path parameters included ({@code /admin;x/...}). */
    static boolean isAdmin(String path) {
        return path.startsWith(ADMIN_PATH) && (path.length() == ADMIN_PATH.length()
                || path.charAt(ADMIN_PATH.length()) == '/' || path.charAt(ADMIN_PATH.length()) == ';');
    }
}
