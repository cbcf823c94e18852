package dev.certgate.outbound;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.config.CharCodingConfig;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One identity's HttpClient (HttpClient 5's async client) and its connection pool: one TLS context, no connection
 * state (one identity per pool, so connections need no owner tag), no cookies (callers' would mix), no decoding
 * (bodies pass through as sent), no retries but of a bodiless idempotent request that a kept-alive connection lost
 * and of one that never went out ({@link StaleConnectionRetry}, {@link LeftoverBytes}), redirects only where
 * forward-request asks for them and then only to the same back end ({@link FollowedRedirects}), HTTP/1.1. Its I/O reactor's threads serve every connection of the pool: a request
 * waiting for its back end holds none of them.
 */
final class AsyncPoolClient {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncPoolClient.class);
    /**
     * Bytes of each of a connection's three HTTP/1 buffers (input, output, outgoing content), held for as long as the
     * connection lives, idle in the pool or carrying a long stream: with HttpCore's default, 32 KiB, they were 96 KiB
     * of the 170-178 KiB of heap each open server-sent-event stream cost. 16 KiB still takes the plaintext of a whole
     * TLS record (at most 16 KiB) in one read, and the benchmark showed no difference in throughput.
     */
    private static final int CONNECTION_BUFFER_SIZE = 16 * 1024;
    /**
     * The request head's characters go out as the bytes they were received as: containers read header bytes as
     * ISO-8859-1, and without an encoder HttpCore writes every byte from 0x80 to 0x9F as '?', which broke UTF-8 in
     * header values ("€" is E2 82 AC). A character beyond ISO-8859-1 (only a policy can set one) becomes '?'.
     */
    private static final CharCodingConfig HEAD_BYTES = CharCodingConfig.custom()
            .setCharset(StandardCharsets.ISO_8859_1)
            .setMalformedInputAction(CodingErrorAction.REPLACE)
            .setUnmappableInputAction(CodingErrorAction.REPLACE)
            .build();
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadFactory IO_THREADS = runnable -> {
        Thread thread = new Thread(runnable, "certgate-backend-io-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    };

    final CloseableHttpAsyncClient client;
    private final PoolingAsyncClientConnectionManager manager;
    private final AsyncBackendTlsStrategy tls;
    private volatile boolean closing;

    /** @param timer runs the lease deadlines ({@link TimedLeases}) */
    AsyncPoolClient(SSLContext sslContext, boolean verifyHostname, PoolSettings settings,
                    ScheduledExecutorService timer, Handshakes handshakes, ChainChecks chainChecks) {
        this.tls = new AsyncBackendTlsStrategy(sslContext, verifyHostname, handshakes, chainChecks);
        this.manager = PoolingAsyncClientConnectionManagerBuilder.create()
                .setTlsStrategy(tls)
                .setMaxConnTotal(settings.maxTotal())
                .setMaxConnPerRoute(settings.maxPerRoute())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setValidateAfterInactivity(Pool.VALIDATE_AFTER_INACTIVITY)
                        .build())
                // No handshake timeout of its own: the handshake then gets the request's connect timeout.
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .build();
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(new TimedLeases(manager, timer))
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .setHttp1Config(Http1Config.custom().setBufferSize(CONNECTION_BUFFER_SIZE).build())
                .setCharCodingConfig(HEAD_BYTES)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setTcpNoDelay(true)
                        .setIoThreadCount(settings.ioThreads())
                        .build())
                .setThreadFactory(IO_THREADS)
                // Closing at once races the reactor's own shutdown (a closed selector): nothing to report then.
                .setIoReactorExceptionCallback(e -> {
                    if (closing) {
                        LOG.debug("The I/O reactor of a closed back-end pool stopped", e);
                    } else {
                        LOG.warn("The I/O reactor of a back-end pool failed", e);
                    }
                })
                .disableConnectionState()
                .disableContentCompression()
                .disableCookieManagement()
                .setRetryStrategy(new StaleConnectionRetry())
                .setRedirectStrategy(new FollowedRedirects())
                .addExecInterceptorLast(ExchangeCancel.CHAIN_HANDLER_NAME, ExchangeCancel.CHAIN_HANDLER)
                .addExecInterceptorLast(LeftoverBytes.CHAIN_HANDLER_NAME, LeftoverBytes.CHAIN_HANDLER)
                .disableAuthCaching()
                // The async client adds a User-Agent of its own, which a proxy must not invent.
                .addRequestInterceptorLast((request, entity, context) -> {
                    if (context.getAttribute(ClientPools.NO_USER_AGENT) != null) {
                        request.removeHeaders(HttpHeaders.USER_AGENT);
                    }
                })
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .build())
                .build();
        client.start();
    }

    PoolStats totals() {
        return manager.getTotalStats();
    }

    void closeIdle(TimeValue idle) {
        manager.closeExpired();
        manager.closeIdle(idle);
    }

    void close(CloseMode mode) {
        closing = true;
        client.close(mode);
    }
}
