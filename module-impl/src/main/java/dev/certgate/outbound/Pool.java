package dev.certgate.outbound;

import dev.certgate.certs.KeyMaterial;

import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;

import javax.net.ssl.SSLContext;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One identity's HttpClient and connection pool. Tracks its users so that a retired pool (its certificate replaced,
 * its trust changed) is closed only once no request uses it any more.
 */
final class Pool {
    private static final int CLOSED = -1;
    /** Checks a pooled connection before reuse once it has been idle this long (the back end may have closed it). */
    static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(2);

    final PoolKey key;
    final AsyncPoolClient client;
    private final Handshakes handshakes;
    private final AtomicInteger users = new AtomicInteger();
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile String certificateId;

    /**
     * @param timer     for the client's lease deadlines
     * @param listeners told of each handshake; read as each one happens (listeners may be added later)
     */
    Pool(PoolKey key, KeyMaterial keyMaterial, PoolSettings settings, ScheduledExecutorService timer,
         List<HandshakeListener> listeners) {
        this.key = key;
        this.certificateId = keyMaterial == null ? null : keyMaterial.certificateId();
        ChainChecks chainChecks = new ChainChecks();
        SSLContext sslContext = BackendTrust.sslContext(settings.tls().forKey(keyMaterial),
                keyMaterial == null ? null : new SingleKeyManager(keyMaterial),
                chainChecks.watching(BackendTrust.trustManager(key)));
        // Room for a session ticket per connection the pool may open: a crowd of new connections then resumes.
        sslContext.getClientSessionContext().setSessionCacheSize(settings.maxPerRoute());
        this.handshakes = new Handshakes(() -> certificateId, key.thumbprint(), listeners);
        this.client = new AsyncPoolClient(sslContext, key.validateName(), settings, timer, handshakes, chainChecks);
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

    long idleNanos(long now) {
        return now - lastUsedNanos;
    }

    boolean isClosed() {
        return users.get() == CLOSED;
    }

    /**
     * Closes the pool if no registered user holds it and the manager has no leased or waiting connection (a user that
     * finds it closed takes a new pool).
     */
    boolean closeIfUnused() {
        org.apache.hc.core5.pool.PoolStats totals = client.totals();
        if (totals.getLeased() > 0 || totals.getPending() > 0) {
            return false;
        }
        if (!users.compareAndSet(0, CLOSED)) {
            return false;
        }
        client.close(CloseMode.GRACEFUL);
        return true;
    }

    void forceClose() {
        users.set(CLOSED);
        client.close(CloseMode.IMMEDIATE);
    }

    void closeIdleConnections(TimeValue idle) {
        client.closeIdle(idle);
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

    PoolStats stats() {
        org.apache.hc.core5.pool.PoolStats totals = client.totals();
        return new PoolStats(certificateId, key.thumbprint(), key.validateChain(), key.validateName(),
                totals.getLeased(), totals.getAvailable(), totals.getPending(), totals.getMax(), handshakes.count());
    }
}
