package dev.certgate.proxy;

import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;

/**
 * Whether a caller's request has a body, and its length: read from the header fields only (never
 * {@code getParameter()}, which would consume form bodies). A known length goes to the back end as Content-Length,
 * an unknown one as chunked, so neither header is copied.
 */
final class RequestBodies {
    /** {@link #length}'s answer for a request without a body. */
    static final long NONE = -2;

    private RequestBodies() {
    }

    /** The body's length, -1 for one of unknown length, {@link #NONE} for none. */
    static long length(HttpServletRequest request) throws IOException {
        // The header, not getContentLengthLong() alone: containers report 0 for a request without a body.
        if (request.getHeader("Content-Length") != null) {
            long length = request.getContentLengthLong();
            // An empty body is no entity: HttpClient then sends Content-Length: 0 where the method expects a body.
            return length == 0 ? NONE : length;
        }
        if (request.getHeader("Transfer-Encoding") != null) {
            return -1;
        }
        String protocol = request.getProtocol();
        if (protocol == null || protocol.startsWith("HTTP/1.")) {
            return NONE; // HTTP/1.x: neither Content-Length nor Transfer-Encoding means no body
        }
        // HTTP/2 and later may stream a body without a length; the container knows whether the stream ended.
        return request.getInputStream().isFinished() ? NONE : -1;
    }
}
