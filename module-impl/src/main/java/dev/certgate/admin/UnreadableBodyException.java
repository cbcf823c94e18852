package dev.certgate.admin;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeoutException;

/**
 * Thrown from inside the request body stream when the body does not come to its end: the caller closed before the
 * stated length, sent broken chunked framing, stopped sending until the container's idle timeout, or sent too
 * slowly for the body deadline ({@link LimitedInputStream}). The caller's fault, not the server's, so
 * {@link AdminExceptionMapper} answers 400 or 408 instead of a 500 with a stack trace. An IOException, so that it
 * travels through Jackson and the multipart reader as {@link BodyTooLargeException} does. The container's own
 * message is not repeated: it may quote the request.
 */
public final class UnreadableBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean timedOut;

    UnreadableBodyException(IOException cause) {
        super(timedOut(cause) ? "The request body stopped arriving before its end; nothing was changed"
                : "The request body could not be read to its end: it ended before its stated length, or its "
                + "chunked framing is broken; nothing was changed", cause); // the cause for the log, never the answer
        this.timedOut = timedOut(cause);
    }

    private UnreadableBodyException(String message) {
        super(message);
        this.timedOut = true;
    }

    /** The body kept arriving, but too slowly for the body deadline; the message says by how much. */
    static UnreadableBodyException tooSlow(String message) {
        return new UnreadableBodyException(message);
    }

    /** Whether the body stopped arriving or came too slowly, rather than ended or broke. */
    public boolean timedOut() {
        return timedOut;
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
