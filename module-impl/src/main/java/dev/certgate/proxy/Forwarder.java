package dev.certgate.proxy;

import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.Policy;
import dev.certgate.http.BodyDeadline;
import dev.certgate.observe.RequestRecord;
import dev.certgate.outbound.ClientPools;
import dev.certgate.outbound.ExchangeCancel;
import dev.certgate.outbound.FollowedRedirects;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * Forwards a request on the container thread that serves it, for a filter chain that is not async-capable (or
 * {@code certgate.forwarding=blocking}): the same non-blocking client and pools as {@link AsyncForwarder}, with the
 * thread waiting on HttpCore's shared buffers ({@link BlockingBody}, {@link BlockingAnswer}). The answer is relayed
 * as on the non-blocking path: status, headers without hop-by-hop fields (after the outbound policies), and the body
 * streamed with a flush whenever the back end pauses, so server-sent events arrive one by one. An exchange that does
 * not end cleanly is cancelled, which drops its connection. Also holds what both paths share.
 */
final class Forwarder {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final ConcurrentHashMap<ForwardRequest, RequestConfig> requestConfigs = new ConcurrentHashMap<>();
    private final Timeout connectTimeoutCap;
    private final Timeout leaseTimeoutCap;
    private final BodyDeadline bodyDeadline;

    /**
     * @param connectTimeoutCap the longest wait to connect and for the TLS handshake, whatever forward-request says
     * @param leaseTimeoutCap   the longest wait for a pooled connection, whatever forward-request says
     * @param bodyDeadline      how slowly a caller may send its body
     */
    Forwarder(Duration connectTimeoutCap, Duration leaseTimeoutCap, BodyDeadline bodyDeadline) {
        this.connectTimeoutCap = Timeout.of(connectTimeoutCap);
        this.leaseTimeoutCap = Timeout.of(leaseTimeoutCap);
        this.bodyDeadline = bodyDeadline;
    }

    void forward(ClientPools.Lease lease, BackendTarget target, Exchange exchange, List<Policy> outbound,
                 HttpServletRequest request, HttpServletResponse response, RequestRecord record) throws IOException {
        long startedMillis = System.currentTimeMillis();
        String method = request.getMethod();
        BasicHttpRequest backendRequest =
                new BasicHttpRequest(method, target.host(), target.requestUri(exchange.path(), exchange.query()));
        exchange.headers.forEach(backendRequest::addHeader);
        long length = RequestBodies.length(request);
        HttpClientContext context = context(exchange, length != RequestBodies.NONE);
        BlockingBody body = length == RequestBodies.NONE ? null : new BlockingBody(length);
        BlockingAnswer answer = new BlockingAnswer(body);
        record.backendStarted();
        Future<Void> future = lease.client().execute(new BasicRequestProducer(backendRequest, body), answer, null,
                context, new FutureCallback<>() {
                    @Override
                    public void completed(Void result) {
                        stop(body);
                    }

                    @Override
                    public void failed(Exception failure) {
                        answer.fail(failure);
                        stop(body);
                    }

                    @Override
                    public void cancelled() {
                        answer.fail(new CancellationException("the back-end exchange was cancelled"));
                        stop(body);
                    }
                });
        boolean complete = false;
        try {
            if (body != null) {
                body.sendFrom(request.getInputStream(), record, bodyDeadline, startedMillis);
            }
            HttpResponse head;
            try {
                head = answer.awaitHead();
            } catch (IOException e) {
                throw explained(e, context);
            }
            int status = head.getCode();
            record.backendAnswered(status);
            Headers headers = responseHeaders(head);
            Pipeline.outbound(headers, outbound);
            writeHead(status, headers, record.requestId(), response);
            record.addResponseBytes(copyBody(answer, method, status, response));
            complete = true;
        } finally {
            if (!complete || answer.leftOpen()) {
                ExchangeCancel.of(context).cancel(future);
            }
        }
    }

    private static void stop(BlockingBody body) {
        if (body != null) {
            body.stop();
        }
    }

    private static IOException explained(IOException failure, HttpClientContext context) {
        return Failures.explain(failure, context) instanceof IOException io ? io : failure;
    }

    /**
     * The exchange's client context: the forward-request's settings, no User-Agent unless the caller sent one, and
     * whether a body goes with the request (which is then never redirected).
     */
    HttpClientContext context(Exchange exchange, boolean hasBody) {
        HttpClientContext context = HttpClientContext.create();
        ExchangeCancel.attachTo(context);
        context.setRequestConfig(requestConfig(exchange.forwardSettings()));
        if (hasBody) {
            context.setAttribute(FollowedRedirects.REQUEST_HAS_BODY, Boolean.TRUE);
        }
        if (!exchange.headers.contains("User-Agent")) {
            context.setAttribute(ClientPools.NO_USER_AGENT, Boolean.TRUE);
        }
        return context;
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
                // Cancelling an exchange drops its connection, whatever state it is in.
                .setHardCancellationEnabled(true)
                .build());
    }

    /**
     * The back end's header fields minus hop-by-hop ones, and minus a Content-Length that does not frame the answer:
     * one beside Transfer-Encoding, which HttpClient read the body by (RFC 9112, 6.3), or on a 1xx or 204, which
     * have no body (RFC 9110, 8.6). Passed on, it would make the container expect other bytes than those that come.
     */
    static Headers responseHeaders(HttpResponse backendResponse) {
        Headers headers = new Headers();
        Header[] connection = backendResponse.getHeaders("Connection");
        Set<String> named = Set.of();
        if (connection.length > 0) { // nearly every answer ("keep-alive"): a loop, not a stream pipeline per answer
            List<String> values = new ArrayList<>(connection.length);
            for (Header field : connection) {
                values.add(field.getValue());
            }
            named = HopByHop.connectionTokens(values);
        }
        boolean chunked = false;
        for (Iterator<Header> it = backendResponse.headerIterator(); it.hasNext(); ) {
            Header header = it.next();
            String name = header.getName();
            if (!HopByHop.is(name) && !HopByHop.named(named, name)) {
                headers.add(name, header.getValue());
            } else {
                chunked |= name.equalsIgnoreCase("Transfer-Encoding");
            }
        }
        int status = backendResponse.getCode();
        if (chunked || status < HttpStatus.SC_OK || status == HttpStatus.SC_NO_CONTENT) {
            headers.remove("Content-Length");
        }
        return headers;
    }

    /**
     * The answer's status and fields, and the gateway's request id in place of any the back end sent. A field the
     * container holds already (its Date, Server) is replaced, so the back end's comes through once; every other
     * field is added.
     */
    static void writeHead(int status, Headers headers, String requestId, HttpServletResponse response) {
        headers.set(RequestIds.HEADER, List.of(requestId));
        response.setStatus(status);
        // Asked per name: the container holds a few fields, and building the set of their names for each answer
        // took 1.7 % of the gateway's sampled CPU on /big.
        headers.forEachField((name, values) -> {
            int i = 0;
            if (response.containsHeader(name)) {
                response.setHeader(name, values.get(i++));
            }
            for (; i < values.size(); i++) {
                response.addHeader(name, values.get(i));
            }
        });
    }

    /**
     * Commits the head of a 304 whose back end sent no Content-Length before the answer ends: a container that
     * commits at the end may count the empty body into "Content-Length: 0" (Jetty 12 does), which RFC 9110 (8.6)
     * forbids on a 304 unless the 200 would be empty too.
     */
    static void commitNotModified(int status, HttpServletResponse response) throws IOException {
        if (status == HttpStatus.SC_NOT_MODIFIED && !response.containsHeader("Content-Length")) {
            response.flushBuffer();
        }
    }

    /** Answers the bytes written. */
    private static long copyBody(BlockingAnswer answer, String method, int status, HttpServletResponse response)
            throws IOException {
        if (!answer.hasBody() || !hasBody(method, status)) {
            commitNotModified(status, response);
            answer.readToEnd();
            answer.awaitReleased();
            return 0;
        }
        long length = answer.contentLength();
        ServletOutputStream out = response.getOutputStream();
        if (length >= 0 && length <= response.getBufferSize()) {
            copyWhole(answer, (int) length, out);
            return length;
        }
        return stream(answer, length, out);
    }

    /**
     * A body of known length that fits the container's buffer is read whole and written once, so the container
     * sends it with the headers in one system call, and only once its connection is back in the pool.
     */
    private static void copyWhole(BlockingAnswer answer, int length, ServletOutputStream out) throws IOException {
        byte[] whole = new byte[length];
        int read = 0;
        while (read < length) {
            int n = answer.read(whole, read, length - read);
            if (n < 0) { // never write the array's unread zeros as the back end's bytes
                throw new ConnectionClosedException("the back end's body ended after %d of %d bytes", read, length);
            }
            read += n;
        }
        answer.readToEnd();
        answer.awaitReleased();
        write(out, whole, length);
    }

    /**
     * Larger bodies and those of unknown length, in steps, passed on whenever the back end pauses (server-sent
     * events); the last piece of a known length only once the connection is back in the pool.
     */
    private static long stream(BlockingAnswer answer, long length, ServletOutputStream out) throws IOException {
        long remaining = length;
        long written = 0;
        byte[] buffer = new byte[BUFFER_SIZE];
        int n;
        while ((n = answer.read(buffer, 0, buffer.length)) != -1) {
            boolean last = remaining >= 0 && (remaining -= n) <= 0;
            if (last) {
                answer.readToEnd();
                answer.awaitReleased();
            }
            write(out, buffer, n);
            written += n;
            if (last) {
                return written;
            }
            if (answer.paused()) {
                flush(out); // the back end paused: pass on what it sent
            }
        }
        if (remaining > 0) {
            throw new ConnectionClosedException("the back end's body ended after %d of %d bytes", written, length);
        }
        answer.awaitReleased();
        return written;
    }

    private static void write(ServletOutputStream out, byte[] bytes, int length) throws IOException {
        try {
            out.write(bytes, 0, length);
        } catch (IOException e) {
            throw new CallerGoneException(e);
        }
    }

    private static void flush(ServletOutputStream out) throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new CallerGoneException(e);
        }
    }

    static boolean hasBody(String method, int status) {
        return !"HEAD".equals(method) && status != HttpStatus.SC_NO_CONTENT
                && status != HttpStatus.SC_NOT_MODIFIED;
    }
}
