package dev.certgate.proxy;

import dev.certgate.api.ErrorCode;
import dev.certgate.api.model.GatewayError;
import dev.certgate.config.Json;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import dev.certgate.api.policy.Policy;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a gateway error in APIM's shape. The message is fixed per reason, so no detail of a cause can leak,
 * unless the proxy gives one it wrote for callers.
 */
final class ErrorResponses {
    private static final Map<ErrorCode, String> MESSAGES = new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorCode.RESOURCE_NOT_FOUND, "Resource not found"),
            Map.entry(ErrorCode.BACKEND_TLS_VALIDATION_FAILED,
                    "The back end's TLS certificate chain or host name is not valid"),
            Map.entry(ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED,
                    "The TLS handshake with the back end failed; it may have refused the client certificate"),
            Map.entry(ErrorCode.CLIENT_CERTIFICATE_UNAVAILABLE,
                    "The client certificate for the back end is not available"),
            Map.entry(ErrorCode.BACKEND_CONNECTION_FAILURE,
                    "The back end could not be reached, or its connection failed before a whole answer came"),
            Map.entry(ErrorCode.BACKEND_TIMEOUT, "The back end did not answer in time"),
            Map.entry(ErrorCode.LOOP_DETECTED, "The request already passed through this gateway"),
            Map.entry(ErrorCode.BACKEND_POOL_EXHAUSTED,
                    "No connection to the back end became free in time; retry after the time in Retry-After"),
            Map.entry(ErrorCode.TOO_MANY_REQUESTS_IN_FLIGHT,
                    "The gateway has too many requests in flight; retry after the time in Retry-After"),
            Map.entry(ErrorCode.REQUEST_BODY_TIMEOUT, "The request body did not arrive in time"),
            Map.entry(ErrorCode.CONFIGURATION_ERROR, "The API's configuration is incomplete"),
            Map.entry(ErrorCode.API_UNAVAILABLE, "The API is unavailable: its configuration could not be loaded"),
            Map.entry(ErrorCode.INTERNAL_ERROR, "Internal error; the gateway's log has the cause under the requestId"),
            Map.entry(ErrorCode.BAD_REQUEST, "Bad request"),
            Map.entry(ErrorCode.FORBIDDEN, "Forbidden"),
            Map.entry(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed"),
            Map.entry(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large"),
            Map.entry(ErrorCode.URI_TOO_LONG, "The request URI is too long"),
            Map.entry(ErrorCode.HEADER_FIELDS_TOO_LARGE, "The request's header fields are too large")));

    /** The refusals of a limit that frees up as calls end: the caller may retry after a short pause. */
    private static final Set<ErrorCode> RETRY_LATER =
            EnumSet.of(ErrorCode.BACKEND_POOL_EXHAUSTED, ErrorCode.TOO_MANY_REQUESTS_IN_FLIGHT);
    private static final String RETRY_AFTER_SECONDS = "1";

    private ErrorResponses() {
    }

    /** Replaces whatever was set on the (uncommitted) response with the error. */
    static void write(HttpServletResponse response, ErrorCode code, String requestId) throws IOException {
        write(response, code, requestId, List.of());
    }

    /**
     * As {@link #write(HttpServletResponse, ErrorCode, String)}, with the route's composed {@code <on-error>}
     * policies applied to the error's headers (APIM runs on-error when forwarding fails).
     */
    static void write(HttpServletResponse response, ErrorCode code, String requestId, List<Policy> onError)
            throws IOException {
        write(response, code, null, requestId, onError);
    }

    /**
     * As {@link #write(HttpServletResponse, ErrorCode, String, List)}, with {@code detail} (written for callers:
     * which configuration gap, which certificate check) as the message instead of the reason's fixed one.
     */
    static void write(HttpServletResponse response, ErrorCode code, String detail, String requestId,
                      List<Policy> onError) throws IOException {
        write(response, code, detail, requestId, onError, false);
    }

    /**
     * As {@link #write(HttpServletResponse, ErrorCode, String, String, List)}, with {@code Connection: close}, which
     * makes the container close the caller's connection after this answer: nothing more is read from it.
     */
    static void writeAndClose(HttpServletResponse response, ErrorCode code, String detail, String requestId)
            throws IOException {
        write(response, code, detail, requestId, List.of(), true);
    }

    private static void write(HttpServletResponse response, ErrorCode code, String detail, String requestId,
                              List<Policy> onError, boolean close) throws IOException {
        String message = detail != null ? detail : MESSAGES.getOrDefault(code, "The request could not be forwarded");
        byte[] body = Json.MAPPER.writeValueAsBytes(new GatewayError(code.httpStatus(), message, code.code(), requestId));
        response.reset();
        response.setStatus(code.httpStatus());
        response.setHeader(RequestIds.HEADER, requestId);
        if (close) {
            response.setHeader("Connection", "close");
        }
        response.setContentType("application/json");
        response.setContentLength(body.length);
        boolean retry = RETRY_LATER.contains(code);
        if (retry || !onError.isEmpty()) {
            Headers headers = new Headers();
            if (retry) {
                headers.add("Retry-After", RETRY_AFTER_SECONDS);
            }
            Pipeline.outbound(headers, onError); // on-error policies see and may change Retry-After
            headers.forEachField((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        }
        response.getOutputStream().write(body);
    }
}
