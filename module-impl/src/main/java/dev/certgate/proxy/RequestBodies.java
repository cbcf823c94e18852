package dev.certgate.proxy;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * The caller's body as an outbound entity, streamed from {@code getInputStream()} only (never
 * {@code getParameter()}, which would consume form bodies). Framing is the entity's: a known length
 * goes as Content-Length, an unknown one as chunked, so neither header is copied. Reading the stream
 * makes the container answer {@code Expect: 100-continue}.
 */
final class RequestBodies {
    private RequestBodies() {
    }

    /** The entity, or null when the request has no body. */
    static HttpEntity of(HttpServletRequest request) throws IOException {
        // The header, not getContentLengthLong(): containers report 0 for a request without a body.
        if (request.getHeader("Content-Length") != null) {
            long length = request.getContentLengthLong();
            // An empty body is no entity: HttpClient then sends Content-Length: 0 where the method expects a body.
            return length == 0 ? null : new InputStreamEntity(new CallerInput(request.getInputStream()), length, null);
        }
        if (request.getHeader("Transfer-Encoding") != null) {
            return new InputStreamEntity(new CallerInput(request.getInputStream()), -1, null);
        }
        String protocol = request.getProtocol();
        if (protocol == null || protocol.startsWith("HTTP/1.")) {
            return null; // HTTP/1.x: neither Content-Length nor Transfer-Encoding means no body
        }
        // HTTP/2 and later may stream a body without a length: look at the first byte.
        PushbackInputStream in = new PushbackInputStream(new CallerInput(request.getInputStream()), 1);
        int first = in.read();
        if (first < 0) {
            return null;
        }
        in.unread(first);
        return new InputStreamEntity(in, -1, null);
    }

    /** Marks failures of the caller's stream, so they are not taken for back-end failures. */
    private static final class CallerInput extends FilterInputStream {
        CallerInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new CallerGoneException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new CallerGoneException(e);
            }
        }
    }
}
