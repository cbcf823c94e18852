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

    public ErrorCode errorCode() {
        return errorCode;
    }

    public List<ErrorDetail> details() {
        return details;
    }
}
