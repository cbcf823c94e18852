package dev.certgate.admin;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeoutException;

/**
 * Thrown from inside the request body stream when the container cannot deliver the body to its end: the caller
 * closed before the stated length, sent broken chunked framing, or stopped sending until the container's idle
 * timeout. The caller's fault, not the server's, so {@link AdminExceptionMapper} answers 400 or 408 instead of a
 * 500 with a stack trace. An IOException, so that it travels through Jackson and the multipart reader as
 * {@link BodyTooLargeException} does. The container's own message is not repeated: it may quote the request.
 */
public final class UnreadableBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    UnreadableBodyException(IOException cause) {
        super(timedOut(cause) ? "The request body stopped arriving before its end; nothing was changed"
                : "The request body could not be read to its end: it ended before its stated length, or its "
                + "chunked framing is broken; nothing was changed", cause); // the cause for the log, never the answer
    }

    /** Whether the body stopped arriving (the container's read timed out), rather than ended or broke. */
    public boolean timedOut() {
        return timedOut(getCause());
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Jetty reports its idle timeout as a TimeoutException cause, Tomcat as a SocketTimeoutException.
            if (t instanceof TimeoutException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
