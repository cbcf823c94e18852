package dev.certgate.proxy;

import dev.certgate.observe.RequestRecord;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;

/**
 * The caller's body as an outbound entity, streamed from {@code getInputStream()} only (never
 * {@code getParameter()}, which would consume form bodies). Framing is the entity's: a known length
 * goes as Content-Length, an unknown one as chunked, so neither header is copied. Reading the stream
 * makes the container answer {@code Expect: 100-continue}. A body that fails or ends early aborts the
 * back-end exchange, so the back end never receives it as a complete request.
 */
final class RequestBodies {
    private static final int BUFFER_SIZE = 16 * 1024;

    private RequestBodies() {
    }

    /**
     * The entity, or null when the request has no body.
     *
     * @param exchange the back-end exchange the body is sent in, cancelled if the body cannot be sent whole
     */
    static HttpEntity of(HttpServletRequest request, Cancellable exchange, RequestRecord record) throws IOException {
        // The header, not getContentLengthLong(): containers report 0 for a request without a body.
        if (request.getHeader("Content-Length") != null) {
            long length = request.getContentLengthLong();
            // An empty body is no entity: HttpClient then sends Content-Length: 0 where the method expects a body.
            return length == 0 ? null : new CallerBody(request.getInputStream(), length, exchange, record);
        }
        if (request.getHeader("Transfer-Encoding") != null) {
            return new CallerBody(request.getInputStream(), -1, exchange, record);
        }
        String protocol = request.getProtocol();
        if (protocol == null || protocol.startsWith("HTTP/1.")) {
            return null; // HTTP/1.x: neither Content-Length nor Transfer-Encoding means no body
        }
        // HTTP/2 and later may stream a body without a length: look at the first byte.
        PushbackInputStream in = new PushbackInputStream(request.getInputStream(), 1);
        int first;
        try {
            first = in.read();
        } catch (IOException e) {
            throw new CallerGoneException(e);
        }
        if (first < 0) {
            return null;
        }
        in.unread(first);
        return new CallerBody(in, -1, exchange, record);
    }

    /**
     * Copies the caller's stream to the back end in 16 KiB steps (HttpCore's own stream entity uses 4 KiB),
     * telling failures of the caller's side from failures of the back end's.
     */
    private static final class CallerBody extends AbstractHttpEntity {
        private final InputStream in;
        private final long length;
        private final Cancellable exchange;
        private final RequestRecord record;

        CallerBody(InputStream in, long length, Cancellable exchange, RequestRecord record) {
            super((String) null, null, length < 0);
            this.in = in;
            this.length = length;
            this.exchange = exchange;
            this.record = record;
        }

        /**
         * HttpClient closes the body's stream on the way out of this method, failed or not, and closing a chunked
         * stream writes the last chunk: the back end would receive the part that arrived as a complete request
         * (a Content-Length stream flushes what it holds). Dropping the connection first leaves nothing to flush.
         */
        @Override
        public void writeTo(OutputStream out) throws IOException {
            boolean sent = false;
            try {
                copy(out);
                sent = true;
            } finally {
                if (!sent) {
                    exchange.cancel();
                }
            }
        }

        private void copy(OutputStream out) throws IOException {
            byte[] buffer = new byte[BUFFER_SIZE];
            long remaining = length;
            while (remaining != 0) {
                int n;
                try {
                    n = in.read(buffer, 0, length < 0 ? buffer.length : (int) Math.min(buffer.length, remaining));
                } catch (IOException e) {
                    throw new CallerGoneException(e);
                }
                if (n < 0) {
                    if (length >= 0) {
                        throw new CallerGoneException(new IOException("the caller's body ended early"));
                    }
                    return;
                }
                record.addRequestBytes(n);
                out.write(buffer, 0, n);
                if (length >= 0) {
                    remaining -= n;
                }
            }
        }

        @Override
        public long getContentLength() {
            return length;
        }

        @Override
        public InputStream getContent() {
            return in;
        }

        @Override
        public boolean isStreaming() {
            return true;
        }

        @Override
        public void close() {
            // the container owns the caller's stream
        }
    }
}
