package dev.certgate.proxy;

import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.Policy;
import dev.certgate.observe.RequestRecord;
import dev.certgate.outbound.ClientPools;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends the exchange to the back end and relays the answer: status, headers without hop-by-hop fields
 * (after the outbound policies), and the body streamed with a flush whenever the back end pauses, so
 * server-sent events arrive one by one. Each response is consumed to its end (its connection returns
 * to the pool) or, on failure, its connection is dropped.
 */
final class Forwarder {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final ConcurrentHashMap<ForwardRequest, RequestConfig> requestConfigs = new ConcurrentHashMap<>();
    private final Timeout connectTimeoutCap;
    private final Timeout leaseTimeoutCap;

    /**
     * @param connectTimeoutCap the longest wait to connect and for the TLS handshake, whatever forward-request says
     * @param leaseTimeoutCap   the longest wait for a pooled connection, whatever forward-request says
     */
    Forwarder(Duration connectTimeoutCap, Duration leaseTimeoutCap) {
        this.connectTimeoutCap = Timeout.of(connectTimeoutCap);
        this.leaseTimeoutCap = Timeout.of(leaseTimeoutCap);
    }

    void forward(CloseableHttpClient client, BackendTarget target, Exchange exchange, List<Policy> outbound,
                 HttpServletRequest request, HttpServletResponse response, RequestRecord record) throws IOException {
        BackendRequest backendRequest =
                new BackendRequest(request.getMethod(), target.host(), target.requestUri(exchange.path(), exchange.query()));
        exchange.headers.forEach(backendRequest::addHeader);
        backendRequest.setEntity(RequestBodies.of(request, backendRequest, record));
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(requestConfig(exchange.forwardSettings()));

        ClassicHttpResponse backendResponse;
        record.backendStarted();
        try {
            backendResponse = client.executeOpen(target.host(), backendRequest, context);
            record.backendAnswered(backendResponse.getCode());
        } catch (SocketException | NoHttpResponseException e) {
            throw closedAfterHandshake(context, e);
        }
        boolean complete = false;
        try {
            Headers headers = responseHeaders(backendResponse);
            Pipeline.outbound(headers, outbound);
            response.setStatus(backendResponse.getCode());
            headers.forEachField((name, values) -> copyHeader(name, values, response));
            response.setHeader(RequestIds.HEADER, record.requestId()); // the gateway's id, not the back end's
            record.addResponseBytes(copyBody(backendResponse.getEntity(), request, backendResponse.getCode(), response));
            complete = true;
        } finally {
            if (!complete) {
                backendRequest.cancel();
            }
            closeQuietly(backendResponse);
        }
    }

    /**
     * A back end that drops a connection it has just completed a TLS 1.3 handshake on, before answering the
     * first request, has refused our client certificate: its alert can lose the race against our write.
     */
    private static IOException closedAfterHandshake(HttpClientContext context, IOException failure) {
        return context.getAttribute(ClientPools.NEW_TLS_CONNECTION) == null ? failure : refusedAfterHandshake(failure);
    }

    static SSLHandshakeException refusedAfterHandshake(IOException failure) {
        SSLHandshakeException refused = new SSLHandshakeException(
                "the back end closed a new TLS connection before answering; it probably refused the client certificate");
        refused.initCause(failure);
        return refused;
    }

    /**
     * The forward-request timeout bounds the wait for the answer, for connecting and the TLS handshake, which
     * HttpClient times with the connect timeout, and for a pooled connection, which the lease timeout bounds too:
     * a queue for connections must not outlast its callers. Pools are shared by requests of every timeout, so
     * that goes per request: RequestConfig's connect timeout (deprecated for ConnectionConfig, which is per
     * route) still overrides the pool's.
     */
    @SuppressWarnings("deprecation")
    RequestConfig requestConfig(ForwardRequest forward) {
        return requestConfigs.computeIfAbsent(forward, f -> RequestConfig.custom()
                .setResponseTimeout(Timeout.ofSeconds(f.timeoutSeconds()))
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(
                        Math.min(f.timeoutSeconds() * 1000L, leaseTimeoutCap.toMilliseconds())))
                .setConnectTimeout(Timeout.ofMilliseconds(
                        Math.min(f.timeoutSeconds() * 1000L, connectTimeoutCap.toMilliseconds())))
                .setRedirectsEnabled(f.followRedirects())
                .setAuthenticationEnabled(false)
                // Non-blocking path: cancelling an exchange drops its connection, whatever state it is in.
                .setHardCancellationEnabled(true)
                .build());
    }

    /** The back end's header fields minus hop-by-hop ones; shared with the non-blocking path. */
    static Headers responseHeaders(HttpResponse backendResponse) {
        Headers headers = new Headers();
        Header[] connection = backendResponse.getHeaders("Connection");
        List<String> connectionValues = new ArrayList<>(connection.length);
        for (Header header : connection) {
            connectionValues.add(header.getValue());
        }
        Set<String> named = HopByHop.connectionTokens(connectionValues);
        for (Header header : backendResponse.getHeaders()) {
            String lower = header.getName().toLowerCase(Locale.ROOT);
            if (!HopByHop.is(lower) && !named.contains(lower)) {
                headers.add(header.getName(), header.getValue());
            }
        }
        return headers;
    }

    /** The first value replaces what the container set itself (Date, Server), so the back end's come through once. */
    static void copyHeader(String name, List<String> values, HttpServletResponse response) {
        response.setHeader(name, values.get(0));
        for (int i = 1; i < values.size(); i++) {
            response.addHeader(name, values.get(i));
        }
    }

    /** Answers the bytes written. */
    private static long copyBody(HttpEntity entity, HttpServletRequest request, int status,
                                 HttpServletResponse response) throws IOException {
        if (entity == null || !hasBody(request.getMethod(), status)) {
            return 0;
        }
        long length = entity.getContentLength();
        InputStream body = entity.getContent();
        ServletOutputStream out = response.getOutputStream();
        if (length >= 0 && length <= response.getBufferSize()) {
            copyWhole(body, (int) length, out);
            return length;
        }
        return stream(body, length, out);
    }

    /**
     * A body of known length that fits the container's buffer is read whole and written once, so the container
     * sends it with the headers in one system call. Written in pieces as the TLS records arrive, a 16 KiB answer
     * took 1.8 writes to the caller (a large piece is written through at once, the rest at the end).
     */
    private static void copyWhole(InputStream body, int length, ServletOutputStream out) throws IOException {
        byte[] whole = new byte[length];
        int read = body.readNBytes(whole, 0, length); // into the array itself: readNBytes(int) copies its chunks once more
        if (read < length) { // never write the array's unread zeros as the back end's bytes
            throw new ConnectionClosedException("the back end's body ended after %d of %d bytes", read, length);
        }
        releaseEarly(body);
        try {
            out.write(whole);
        } catch (IOException e) {
            throw new CallerGoneException(e);
        }
    }

    /** Larger bodies and those of unknown length, in steps, passed on whenever the back end pauses (server-sent events). */
    private static long stream(InputStream body, long length, ServletOutputStream out) throws IOException {
        long remaining = length;
        long written = 0;
        byte[] buffer = new byte[BUFFER_SIZE];
        int n;
        while ((n = body.read(buffer)) != -1) {
            boolean last = remaining >= 0 && (remaining -= n) <= 0;
            if (last) {
                releaseEarly(body);
            }
            try {
                out.write(buffer, 0, n);
                written += n;
                if (!last && body.available() == 0) {
                    out.flush(); // the back end paused: pass on what it sent
                }
            } catch (IOException e) {
                throw new CallerGoneException(e);
            }
            if (last) {
                return written;
            }
        }
        return written;
    }

    /**
     * Reads the end of a body whose last byte has arrived: that hands the back-end connection back to the pool
     * before the caller has the answer, so the caller's next request finds it free instead of opening another.
     */
    private static void releaseEarly(InputStream body) throws IOException {
        body.read();
    }

    static boolean hasBody(String method, int status) {
        return !"HEAD".equalsIgnoreCase(method) && status != HttpStatus.SC_NO_CONTENT
                && status != HttpStatus.SC_NOT_MODIFIED;
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // the connection was dropped on purpose; nothing left to release
        }
    }
}
