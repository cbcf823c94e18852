package dev.certgate.outbound;

import dev.certgate.certs.KeyMaterial;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One identity's HttpClient and connection pool, and with the non-blocking path, its async client and pool too
 * (a filter in a chain that is not async-capable still forwards with the blocking client). Tracks its users so
 * that a retired pool (its certificate replaced, its trust changed) is closed only once no request uses it any more.
 */
final class Pool {
    private static final int CLOSED = -1;
    /** Checks a pooled connection before reuse once it has been idle this long (the back end may have closed it). */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);

    final PoolKey key;
    final PoolingHttpClientConnectionManager manager;
    final CloseableHttpClient client;
    private final Handshakes handshakes;
    /** Null unless the gateway forwards without blocking. */
    final AsyncPoolClient async;
    private final AtomicInteger users = new AtomicInteger();
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile String certificateId;

    /**
     * @param timer     for the non-blocking client's lease deadlines; null for a pool without that client
     * @param listeners told of each handshake; read as each one happens (listeners may be added later)
     */
    Pool(PoolKey key, KeyMaterial keyMaterial, PoolSettings settings, ScheduledExecutorService timer,
         List<HandshakeListener> listeners) {
        this.key = key;
        this.certificateId = keyMaterial == null ? null : keyMaterial.certificateId();
        SSLContext sslContext = BackendTrust.sslContext(keyMaterial, key);
        this.handshakes = new Handshakes(() -> certificateId, key.thumbprint(), listeners);
        this.manager = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new BackendTlsStrategy(sslContext, key.validateName(), handshakes))
                .setMaxConnTotal(settings.maxTotal())
                .setMaxConnPerRoute(settings.maxPerRoute())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(manager)
                // One identity per pool, so connections need no owner tag; with the tag, HttpClient would
                // mark each TLS connection with the certificate's principal and never reuse it.
                .disableConnectionState()
                // Bodies pass through as sent: decoding would change them but keep Content-Encoding.
                .disableContentCompression()
                // Cookies of different callers would mix in one store.
                .disableCookieManagement()
                // Request bodies are streams; a retry could send half of one, or repeat a POST.
                .disableAutomaticRetries()
                // A proxy adds no User-Agent of its own.
                .disableDefaultUserAgent()
                .disableAuthCaching()
                // Redirects are passed to the caller unless forward-request asks to follow them (per request).
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(settings.leaseTimeout()))
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .build())
                .build();
        this.async = timer == null ? null : new AsyncPoolClient(sslContext, key.validateName(), settings, timer,
                handshakes);
    }

    /** Registers a user unless the pool is already closed. */
    boolean tryAcquire() {
        while (true) {
            int current = users.get();
            if (current == CLOSED) {
                return false;
            }
            if (users.compareAndSet(current, current + 1)) {
                lastUsedNanos = System.nanoTime();
                return true;
            }
        }
    }

    void release() {
        lastUsedNanos = System.nanoTime();
        users.decrementAndGet();
    }

    /** A use without registration ({@link ClientPools#clientFor}): keeps the pool from counting as idle. */
    void touch() {
        lastUsedNanos = System.nanoTime();
    }

    long idleNanos(long now) {
        return now - lastUsedNanos;
    }

    boolean isClosed() {
        return users.get() == CLOSED;
    }

    /**
     * Closes the pool if no registered user holds it and the manager has no leased or waiting connection;
     * {@code quietNanos} more guards unregistered {@link ClientPools#clientFor} callers.
     */
    boolean closeIfUnused(long now, long quietNanos) {
        if (inUse(manager.getTotalStats()) || async != null && inUse(async.totals()) || idleNanos(now) < quietNanos) {
            return false;
        }
        if (!users.compareAndSet(0, CLOSED)) {
            return false;
        }
        client.close(CloseMode.GRACEFUL);
        if (async != null) {
            async.close(CloseMode.GRACEFUL);
        }
        return true;
    }

    private static boolean inUse(org.apache.hc.core5.pool.PoolStats totals) {
        return totals.getLeased() > 0 || totals.getPending() > 0;
    }

    void forceClose() {
        users.set(CLOSED);
        client.close(CloseMode.IMMEDIATE);
        if (async != null) {
            async.close(CloseMode.IMMEDIATE);
        }
    }

    void closeIdleConnections(TimeValue idle) {
        manager.closeExpired();
        manager.closeIdle(idle);
        if (async != null) {
            async.closeIdle(idle);
        }
    }

    /** The id shown in stats: the first in alphabetical order among the ids that hold this certificate. */
    void offerCertificateId(String id) {
        String current = certificateId;
        if (id != null && (current == null || id.compareTo(current) < 0)) {
            certificateId = id;
        }
    }

    void certificateId(String id) {
        certificateId = id;
    }

    /** With both clients, the figures of both added up (only one of them serves a given deployment's requests). */
    PoolStats stats() {
        org.apache.hc.core5.pool.PoolStats totals = manager.getTotalStats();
        if (async == null) {
            return new PoolStats(certificateId, key.thumbprint(), totals.getLeased(), totals.getAvailable(),
                    totals.getPending(), totals.getMax(), handshakes.count());
        }
        org.apache.hc.core5.pool.PoolStats more = async.totals();
        return new PoolStats(certificateId, key.thumbprint(), totals.getLeased() + more.getLeased(),
                totals.getAvailable() + more.getAvailable(), totals.getPending() + more.getPending(),
                more.getMax(), handshakes.count());
    }
}
