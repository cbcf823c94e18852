package dev.certgate.api;

/**
 * Every error Certgate reports, with the HTTP status it maps to and the code/reason string
 * users see: proxy errors use APIM's gateway reasons (CONTRACT §4), admin errors the ARM codes (§5).
 */
public enum ErrorCode {
    // Proxy (gateway) errors, body {"statusCode", "message", "reason", "requestId"}.
    RESOURCE_NOT_FOUND(404, "ResourceNotFound"),
    BACKEND_TLS_VALIDATION_FAILED(500, "BackendTlsValidationFailed"),
    BACKEND_TLS_HANDSHAKE_FAILED(500, "BackendTlsHandshakeFailed"),
    CLIENT_CERTIFICATE_UNAVAILABLE(500, "ClientCertificateUnavailable"),
    BACKEND_CONNECTION_FAILURE(500, "BackendConnectionFailure"),
    BACKEND_TIMEOUT(504, "BackendTimeout"),
    LOOP_DETECTED(508, "LoopDetected"),
    BACKEND_POOL_EXHAUSTED(503, "BackendPoolExhausted"),
    /** The setting {@code certgate.maxRequestsInFlight} was reached; answered at once, with Retry-After. */
    TOO_MANY_REQUESTS_IN_FLIGHT(503, "TooManyRequestsInFlight"),
    REQUEST_BODY_TIMEOUT(408, "RequestBodyTimeout"),
    CONFIGURATION_ERROR(500, "ConfigurationError"),
    API_UNAVAILABLE(503, "ApiUnavailable"),

    // Admin API errors, body {"error": {"code", "message", "details"}}.
    VALIDATION_ERROR(400, "ValidationError"),
    UNAUTHORIZED(401, "Unauthorized"),
    ENTITY_NOT_FOUND(404, "ResourceNotFound"),
    CONFLICT(409, "Conflict"),
    PRECONDITION_FAILED(412, "PreconditionFailed"),
    PAYLOAD_TOO_LARGE(413, "PayloadTooLarge"),
    UNSUPPORTED_MEDIA_TYPE(415, "UnsupportedMediaType"),
    INTERNAL_ERROR(500, "InternalError"),

    // Refusals made before routing (by the container or the path check), in either shape. After the admin
    // codes, so an admin 400 found by status stays ValidationError.
    BAD_REQUEST(400, "BadRequest"),
    FORBIDDEN(403, "Forbidden"),
    METHOD_NOT_ALLOWED(405, "MethodNotAllowed"),
    URI_TOO_LONG(414, "UriTooLong"),
    HEADER_FIELDS_TOO_LARGE(431, "RequestHeaderFieldsTooLarge");

    private final int httpStatus;
    private final String code;

    ErrorCode(int httpStatus, String code) {
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The string users see: APIM's {@code reason} or the ARM {@code error.code}. */
    public String code() {
        return code;
    }
}
