package dev.certgate.admin;

import java.io.IOException;

/**
 * Thrown from inside the request body stream once it passes the upload limit. An IOException, so that it
 * travels through Jackson and the multipart reader unchanged (or as a cause) to {@link AdminExceptionMapper}.
 */
public final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public BodyTooLargeException(long limit) {
        super("The request body is larger than the limit of " + limit + " bytes");
    }
}
