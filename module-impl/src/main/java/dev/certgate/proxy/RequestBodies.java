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

    /**
     * Why the request's framing cannot be trusted, or null. An HTTP/1.0 request that carries Transfer-Encoding
     * (RFC 9112 §6.1: its framing is faulty, and the connection must close after it): containers read its body as
     * chunked and then parse whatever follows on a kept-alive connection as a request of its own, where a proxy in
     * front that reads HTTP/1.0 without chunking saw one request; the rest of the connection cannot be delimited.
     */
    static String faultyFraming(HttpServletRequest request) {
        if ("HTTP/1.0".equals(request.getProtocol()) && request.getHeader("Transfer-Encoding") != null) {
            return "An HTTP/1.0 request cannot carry Transfer-Encoding (RFC 9112, 6.1): its body cannot be delimited"
                    + " safely, and its connection is closed";
        }
        return null;
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
