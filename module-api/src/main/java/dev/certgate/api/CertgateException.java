package dev.certgate.api;

import java.util.List;

/**
 * A failure with a user-facing meaning. The message is shown to callers, so it must never
 * carry key material, passwords or file-system paths of secrets.
 */
public class CertgateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final transient List<ErrorDetail> details;

    public CertgateException(ErrorCode errorCode, String message) {
        this(errorCode, message, List.of(), null);
    }

    public CertgateException(ErrorCode errorCode, String message, List<ErrorDetail> details) {
        this(errorCode, message, details, null);
    }

    public CertgateException(ErrorCode errorCode, String message, List<ErrorDetail> details, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.details = List.copyOf(details);
    }

    /**
     * The one 404 shape of the admin API: {@code "<kind> '<id>' not found"} with a {@code NotFound} detail whose
     * target is the id, whichever entity and whichever call (read, write guard, delete) found it missing.
     */
    public static CertgateException notFound(String kind, String id) {
        return new CertgateException(ErrorCode.ENTITY_NOT_FOUND, kind + " '" + id + "' not found",
                List.of(new ErrorDetail("NotFound", id, kind + " does not exist")));
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public List<ErrorDetail> details() {
        return details;
    }
}
