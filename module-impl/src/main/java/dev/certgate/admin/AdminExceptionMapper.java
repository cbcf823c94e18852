package dev.certgate.admin;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.model.ArmError;
import dev.certgate.config.JsonExpectations;
import dev.certgate.policy.PolicyException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.RuntimeResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place where anything thrown by an admin call becomes the ARM error body
 * {@code {"error": {"code", "message", "details"}}}; the status comes from {@link ErrorCode}. Jersey's
 * own refusals (404, 405, 415, …) and JSON errors get the same shape; nothing unexpected shows more than
 * an error id, and no message built here repeats request content (it could hold a password).
 */
@Provider
public final class AdminExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminExceptionMapper.class);
    private static final int MAX_CAUSES = 16;
    /** Jackson's message for a property given twice ({@code STRICT_DUPLICATE_DETECTION}, see {@code Json}). */
    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '(.*)'");

    /** What the caller is told: status, ARM code, message and details. */
    record Refusal(int status, String code, String message, List<ErrorDetail> details) {
        static Refusal of(ErrorCode code, String message, List<ErrorDetail> details) {
            return new Refusal(code.httpStatus(), code.code(), message, details);
        }
    }

    static final Refusal UNREADABLE_MULTIPART = Refusal.of(ErrorCode.VALIDATION_ERROR, "The multipart/form-data body"
            + " cannot be read: its Content-Type must name the boundary between the parts, and each part needs a"
            + " Content-Disposition with a name (curl -F file=@client.pfx -F password=... sends that)",
            List.of(new ErrorDetail("InvalidMultipart", "body", "not a readable multipart/form-data body")));

    /** The request's routing so far: on a 415, the resource whose methods tell the accepted media types. */
    @Context
    private ExtendedUriInfo routing;
    @Context
    private Request request;
    @Context
    private HttpHeaders headers;

    @Override
    public Response toResponse(Throwable failure) {
        Refusal refusal = translate(failure);
        if (failure instanceof NotSupportedException) {
            refusal = unsupportedMediaType(accepted(routing, request.getMethod()));
        } else if (refusal.status() == 400 && refusal.details().isEmpty() && failure instanceof WebApplicationException
                && headers != null && headers.getMediaType() != null
                && "multipart".equalsIgnoreCase(headers.getMediaType().getType())) {
            refusal = UNREADABLE_MULTIPART; // Jersey's reader says only "Bad Request"
        }
        Response.ResponseBuilder response = Response.status(refusal.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ArmError.of(refusal.code(), refusal.message(), refusal.details()));
        if (failure instanceof WebApplicationException wae && wae.getResponse().getHeaderString("Allow") != null) {
            response.header("Allow", wae.getResponse().getHeaderString("Allow"));
        }
        return response.build();
    }

    static Refusal translate(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            Refusal refusal = known(cause);
            if (refusal != null) {
                LOG.info("Admin request refused: {} {}: {}", refusal.status(), refusal.code(), refusal.message());
                return refusal;
            }
        }
        if (failure instanceof WebApplicationException wae && wae.getResponse().getStatus() < 500) {
            return fromStatus(wae.getResponse().getStatus());
        }
        String errorId = UUID.randomUUID().toString();
        LOG.error("Admin request failed, error id {}", errorId, failure);
        return Refusal.of(ErrorCode.INTERNAL_ERROR,
                "Internal error; the server log has the cause under error id " + errorId, List.of());
    }

    /**
     * The media types the matched resource takes for the request's method, from its {@code @Consumes} (Jersey's
     * routing got that far before it refused the Content-Type); empty if unknown.
     */
    static List<String> accepted(ExtendedUriInfo routing, String method) {
        if (routing == null || routing.getMatchedRuntimeResources().isEmpty()) {
            return List.of();
        }
        RuntimeResource resource = routing.getMatchedRuntimeResources().get(0);
        return resource.getResourceMethods().stream()
                .filter(candidate -> method.equals(candidate.getHttpMethod()))
                .flatMap(candidate -> candidate.getConsumedTypes().stream())
                .map(type -> type.getType() + "/" + type.getSubtype())
                .distinct()
                .toList();
    }

    static Refusal unsupportedMediaType(List<String> accepted) {
        if (accepted.isEmpty()) {
            return Refusal.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", List.of());
        }
        return Refusal.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Unsupported Content-Type: this call accepts " + String.join(", ", accepted),
                accepted.stream().map(type -> new ErrorDetail("AcceptedMediaType", "Content-Type", type)).toList());
    }

    private static Refusal known(Throwable cause) {
        if (cause instanceof BodyTooLargeException tooLarge) {
            return Refusal.of(ErrorCode.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), List.of());
        }
        if (cause instanceof UnreadableBodyException unreadable) {
            return Refusal.of(unreadable.timedOut() ? ErrorCode.REQUEST_BODY_TIMEOUT : ErrorCode.BAD_REQUEST,
                    unreadable.getMessage(), List.of());
        }
        if (cause instanceof CertgateException refused) {
            return Refusal.of(refused.errorCode(), refused.getMessage(), refused.details());
        }
        if (cause instanceof PolicyException invalid) {
            return policy(invalid);
        }
        if (cause instanceof JsonProcessingException json) {
            return json(json);
        }
        return null;
    }

    /** The first problem in the message, every problem as a detail. */
    private static Refusal policy(PolicyException invalid) {
        int more = invalid.problems().size() - 1;
        String message = "Invalid policy at line " + invalid.line() + ", column " + invalid.column() + ": "
                + (invalid.element() == null ? "" : "<" + invalid.element() + ">: ") + invalid.reason()
                + (more > 0 ? " (and " + more + " more)" : "");
        return Refusal.of(ErrorCode.VALIDATION_ERROR, message, invalid.problems().stream()
                .map(problem -> new ErrorDetail("InvalidPolicy", problem.element() == null ? "policies"
                        : problem.element(), problem.describe()))
                .toList());
    }

    private static Refusal json(JsonProcessingException json) {
        JsonLocation location = json.getLocation();
        String where = location == null ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        String duplicate = duplicateProperty(json);
        if (duplicate != null) {
            // A property's name, never its value: safe to repeat, and what the caller must look for.
            return Refusal.of(ErrorCode.VALIDATION_ERROR, "Property '" + duplicate + "' is given twice" + where,
                    List.of(new ErrorDetail("DuplicateProperty", duplicate, "given twice" + where)));
        }
        if (json instanceof JsonMappingException mapping && !mapping.getPath().isEmpty() && !malformed(json)) {
            String field = fieldPath(mapping.getPath());
            String expected = JsonExpectations.of(mapping).orElse("value has the wrong type or shape");
            return Refusal.of(ErrorCode.VALIDATION_ERROR, "Invalid value for '" + field + "'" + where + ": " + expected,
                    List.of(new ErrorDetail("InvalidJson", field, expected)));
        }
        String how = cause(json, JsonEOFException.class) != null ? ": it ends before the JSON is complete" : "";
        return Refusal.of(ErrorCode.VALIDATION_ERROR, "The request body is not valid JSON" + where + how,
                List.of(new ErrorDetail("InvalidJson", "body", "malformed JSON" + where + how)));
    }

    /**
     * Whether the body is not JSON at all: databind wraps a syntax error met inside a value (a body cut short in a
     * string) with that value's path, which would read as a value of the wrong type.
     */
    private static boolean malformed(JsonProcessingException json) {
        return cause(json, JsonParseException.class) != null;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /** The property given twice, when that is the failure; databind wraps the parser's report with a path. */
    private static String duplicateProperty(JsonProcessingException json) {
        Throwable cause = json;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException processing && processing.getOriginalMessage() != null) {
                Matcher duplicate = DUPLICATE_FIELD.matcher(processing.getOriginalMessage());
                if (duplicate.matches()) {
                    return duplicate.group(1);
                }
            }
        }
        return null;
    }

    private static String fieldPath(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static Refusal fromStatus(int status) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.httpStatus() == status) {
                return Refusal.of(code, status == 404 ? "Resource not found" : reasonPhrase(status), List.of());
            }
        }
        return new Refusal(status, reasonPhrase(status).replace(" ", ""), reasonPhrase(status), List.of());
    }

    private static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }
}
