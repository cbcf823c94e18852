package dev.certgate.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTPS back end (embedded Jetty 12) that requires a client certificate and records, per request, the
 * certificate and SNI name it saw, and counts TLS handshakes. Endpoints (any path prefix):
 * <ul>
 *   <li>{@code .../download?bytes=N} N bytes of {@link PatternStream}, with Content-Length unless {@code chunked};</li>
 *   <li>{@code .../upload} answers {@code {"bytes": n, "sha256": "..."}} of the body it read;</li>
 *   <li>{@code .../sse?events=N} server-sent events, each after the first waiting for a permit of {@link #sseGate()};</li>
 *   <li>{@code .../slow?ms=N} waits, then echoes;</li>
 *   <li>{@code .../redirect?to=URL} 302 (or {@code status}) with Location and a Set-Cookie;</li>
 *   <li>{@code .../status/NNN} that status, no body;</li>
 *   <li>{@code .../hop} a response carrying hop-by-hop headers;</li>
 *   <li>{@code .../drop?after=N} closes the connection without answering once it has served N requests (as a back
 *   end does that times out a kept-alive connection just as the next request arrives), else echoes; with
 *   {@code midBody} it closes after the head and 10 of 100 bytes instead;</li>
 *   <li>anything else: an echo {@code {"method","path","query","headers","body","clientThumbprint","sni"}}.</li>
 * </ul>
 */
public final class MtlsBackend implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STORE_PASSWORD = "backend-test";

    /**
     * One request as the back end saw it: the raw (still encoded) path and query, the client certificate's
     * SHA-1 thumbprint (upper-case hex, null without one), the SNI name (null without).
     */
    public record Seen(String method, String path, String query, String clientThumbprint, String clientSubject,
                       String sni, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> String.join(", ", e.getValue())).orElse(null);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    /** The same endpoints over plain HTTP, for back ends that are not TLS. */
    private final ServerConnector plainConnector;
    private final AtomicLong handshakes = new AtomicLong();
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Semaphore sseGate = new Semaphore(0);

    private MtlsBackend(TestPki.Issued serverCertificate, List<X509Certificate> trustedClientIssuers,
                        boolean needClientAuth) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("backend");
        threads.setDaemon(true);
        server = new Server(threads);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(serverCertificate.keyStore(STORE_PASSWORD));
        ssl.setKeyStorePassword(STORE_PASSWORD);
        ssl.setTrustStore(trustStore(trustedClientIssuers));
        if (needClientAuth) {
            ssl.setNeedClientAuth(true);
        }
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.addBean(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                handshakes.incrementAndGet();
            }
        });
        server.addConnector(connector);
        plainConnector = new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration()));
        plainConnector.setHost("127.0.0.1");
        server.addConnector(plainConnector);
        server.setHandler(new Endpoints());
        server.start();
    }

    /** A back end with this server certificate, requiring client certificates issued by {@code clientIssuers}. */
    public static MtlsBackend start(TestPki.Issued serverCertificate, X509Certificate... clientIssuers) {
        return start(serverCertificate, true, clientIssuers);
    }

    public static MtlsBackend start(TestPki.Issued serverCertificate, boolean needClientAuth,
                                    X509Certificate... clientIssuers) {
        try {
            return new MtlsBackend(serverCertificate, List.of(clientIssuers), needClientAuth);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test back end", e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code https://<host>:<port>}, e.g. host {@code localhost} or {@code 127.0.0.1}. */
    public String url(String host) {
        return "https://" + host + ":" + port();
    }

    public String url() {
        return url("localhost");
    }

    /** {@code http://127.0.0.1:<port>}: the same endpoints without TLS. */
    public String plainUrl() {
        return "http://127.0.0.1:" + plainConnector.getLocalPort();
    }

    public long handshakes() {
        return handshakes.get();
    }

    public List<Seen> requests() {
        return new ArrayList<>(seen);
    }

    public Seen lastRequest() {
        List<Seen> all = requests();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    public void reset() {
        seen.clear();
        handshakes.set(0);
    }

    /** Permits for the SSE endpoint: one per event after the first. */
    public Semaphore sseGate() {
        return sseGate;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-1 of the DER encoding, upper-case hex, as Certgate shows thumbprints. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore trustStore(List<X509Certificate> certificates) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (X509Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    private final class Endpoints extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            Fields query = Request.extractQueryParameters(request);
            Seen record = record(request, path);
            seen.add(record);
            int served = servedOnConnection(request);
            try {
                if (path.endsWith("/drop") && served >= Integer.parseInt(query.getValue("after"))) {
                    if (query.get("midBody") != null) {
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 100);
                        OutputStream out = Content.Sink.asOutputStream(response);
                        out.write(new byte[10]);
                        out.flush();
                    }
                    request.getConnectionMetaData().getConnection().getEndPoint().close();
                    callback.failed(new EOFException("closed without answering, as the test asked"));
                    return true;
                }
                if (path.endsWith("/download")) {
                    download(response, Long.parseLong(query.getValue("bytes")), query.get("chunked") != null);
                } else if (path.endsWith("/upload")) {
                    upload(request, response);
                } else if (path.endsWith("/pause")) {
                    pausedBody(response, Integer.parseInt(query.getValue("bytes")), Long.parseLong(query.getValue("ms")));
                } else if (path.endsWith("/sse")) {
                    sse(response, Integer.parseInt(query.getValue("events")));
                } else if (path.endsWith("/redirect")) {
                    String status = query.getValue("status");
                    response.setStatus(status == null ? 302 : Integer.parseInt(status));
                    response.getHeaders().put(HttpHeader.LOCATION, query.getValue("to"));
                    response.getHeaders().add(HttpHeader.SET_COOKIE, "session=abc; Path=/; HttpOnly");
                } else if (path.contains("/status/")) {
                    int status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
                    response.setStatus(status);
                    if (status == 304) { // as most servers send it, without Content-Length: Jetty adds "0" at the end
                        Content.Sink.asOutputStream(response).flush();
                    }
                } else if (path.endsWith("/own-request-id")) {
                    response.getHeaders().put("X-Request-Id", "the-back-ends-own-id");
                    echo(request, response, record);
                } else if (path.endsWith("/hop")) {
                    response.getHeaders().put("Keep-Alive", "timeout=5");
                    response.getHeaders().put("Proxy-Authenticate", "Basic realm=x");
                    response.getHeaders().add("X-Multi", "one");
                    response.getHeaders().put("X-Named-In-Connection", "1");
                    response.getHeaders().put(HttpHeader.CONNECTION, "X-Named-In-Connection");
                    response.getHeaders().put("X-End-To-End", "kept");
                    response.getHeaders().add("x-multi", "two");
                    echo(request, response, record);
                } else {
                    if (path.endsWith("/slow")) {
                        Thread.sleep(Long.parseLong(query.getValue("ms")));
                    }
                    echo(request, response, record);
                }
                callback.succeeded();
            } catch (Throwable e) {
                callback.failed(e);
            }
            return true;
        }

        /** How many requests this connection carried before this one. */
        private int servedOnConnection(Request request) {
            String key = MtlsBackend.class.getName() + ".served";
            Object before = request.getConnectionMetaData().getAttribute(key);
            int served = before == null ? 0 : (Integer) before;
            request.getConnectionMetaData().setAttribute(key, served + 1);
            return served;
        }

        private Seen record(Request request, String path) {
            Object data = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
            String thumbprint = null;
            String subject = null;
            String sni = null;
            if (data instanceof EndPoint.SslSessionData session) {
                X509Certificate[] peer = session.peerCertificates();
                if (peer != null && peer.length > 0) {
                    thumbprint = thumbprint(peer[0]);
                    subject = peer[0].getSubjectX500Principal().getName();
                }
                sni = sni(session.sslSession());
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
            }
            return new Seen(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                    thumbprint, subject, sni, headers);
        }

        private String sni(SSLSession session) {
            if (session instanceof ExtendedSSLSession extended) {
                for (SNIServerName name : extended.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host) {
                        return host.getAsciiName();
                    }
                }
            }
            return null;
        }

        private void echo(Request request, Response response, Seen record) throws Exception {
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("method", record.method());
            answer.put("path", record.path());
            answer.put("query", record.query());
            answer.put("headers", record.headers());
            answer.put("body", body);
            answer.put("clientThumbprint", record.clientThumbprint());
            answer.put("sni", record.sni());
            byte[] json = JSON.writeValueAsBytes(answer);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                out.write(json);
            }
        }

        private void download(Response response, long bytes, boolean chunked) throws Exception {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            if (!chunked) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes);
            }
            try (InputStream in = new PatternStream(bytes); OutputStream out = Content.Sink.asOutputStream(response)) {
                in.transferTo(out);
            }
        }

        private void upload(Request request, Response response) throws Exception {
            CountingStream counted = new CountingStream(Content.Source.asInputStream(request));
            String sha256 = PatternStream.sha256(counted);
            byte[] json = JSON.writeValueAsBytes(Map.of("bytes", counted.count, "sha256", sha256));
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                out.write(json);
            }
        }

        /** A body of known length whose second half follows the first after a pause. */
        private void pausedBody(Response response, int bytes, long pauseMillis) throws Exception {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes);
            byte[] body = new PatternStream(bytes).readAllBytes();
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                out.write(body, 0, bytes / 2);
                out.flush();
                Thread.sleep(pauseMillis);
                out.write(body, bytes / 2, bytes - bytes / 2);
            }
        }

        private void sse(Response response, int events) throws Exception {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                for (int i = 1; i <= events; i++) {
                    if (i > 1 && !sseGate.tryAcquire(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test did not release SSE event " + i);
                    }
                    out.write(("id: " + i + "\ndata: event-" + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        }
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
