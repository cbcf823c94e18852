package dev.certgate.outbound;

import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.model.TlsSettings;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.GatewaySnapshot;

import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.util.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * HttpClient 5 clients with their connection pools, one per (client-certificate thumbprint or none, TLS
 * settings, trusted authorities), so connections made with one certificate never carry a request for
 * another. Pools are made on first use; a janitor thread closes idle connections, idle pools, and pools
 * retired by a configuration change once their last request has finished.
 */
public final class ClientPools implements AutoCloseable {
    /** Set in a request's HttpContext when the caller sent no User-Agent, so that none is sent on. */
    public static final String NO_USER_AGENT = "dev.certgate.outbound.no-user-agent";

    private static final Logger LOG = LoggerFactory.getLogger(ClientPools.class);
    private static final Duration JANITOR_PERIOD = Duration.ofSeconds(1);

    private final PoolSettings settings;
    private final ConcurrentHashMap<PoolKey, Pool> pools = new ConcurrentHashMap<>();
    private final List<Pool> retired = new CopyOnWriteArrayList<>();
    private final List<HandshakeListener> handshakeListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService janitor;
    private volatile boolean closed;
    /** The last authority collection seen and its certificates: callers pass one collection per snapshot. */
    private volatile TrustedSet lastTrusted = new TrustedSet(List.of(), Set.of());

    private record TrustedSet(Collection<AuthorityConfig> source, Set<X509Certificate> certificates) {
    }

    public ClientPools(PoolSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.janitor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "certgate-pool-janitor");
            thread.setDaemon(true);
            return thread;
        });
        long period = JANITOR_PERIOD.toMillis();
        janitor.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Tells {@code listener} of every TLS handshake with a back end from now on, in pools old and new. */
    public void addHandshakeListener(HandshakeListener listener) {
        handshakeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The longest a request waits for a connection to be made and its TLS handshake, whatever its own timeout. */
    public Duration connectTimeout() {
        return settings.connectTimeout();
    }

    /** The longest a request waits for a pooled connection, whatever its own timeout. */
    public Duration leaseTimeout() {
        return settings.leaseTimeout();
    }

    /** The provider the pools make their TLS connections with; the TLS dry run uses it too. */
    public BackendTlsProvider tlsProvider() {
        return settings.tls();
    }

    /**
     * A client registered as in use until {@link #close()}: its pool is not closed under it. An exchange closes it
     * on whichever thread it ends on.
     */
    public final class Lease implements AutoCloseable {
        private final Pool pool;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Pool pool) {
            this.pool = pool;
        }

        public CloseableHttpAsyncClient client() {
            return pool.client.client;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                pool.release();
            }
        }
    }

    /** The client for this identity, held until the lease is closed (after the response has been consumed). */
    public Lease lease(KeyMaterial key, TlsSettings tls, Collection<AuthorityConfig> authorities) {
        Set<X509Certificate> trusted = certificates(authorities);
        while (true) {
            Pool pool = pool(key, tls, trusted);
            if (pool.tryAcquire()) {
                return new Lease(pool);
            }
            pools.remove(pool.key, pool);
        }
    }

    private Pool pool(KeyMaterial key, TlsSettings tls, Set<X509Certificate> authorities) {
        if (closed) {
            throw new IllegalStateException("client pools are closed");
        }
        PoolKey poolKey = PoolKey.of(key, tls == null ? TlsSettings.DEFAULT : tls, authorities);
        Pool pool = pools.get(poolKey);
        if (pool == null) {
            pool = pools.computeIfAbsent(poolKey, k -> {
                LOG.debug("Opening a connection pool for {}", key == null ? "no client certificate" : key);
                return new Pool(k, key, settings, janitor, handshakeListeners);
            });
        }
        if (key != null) {
            pool.offerCertificateId(key.certificateId());
        }
        return pool;
    }

    /**
     * Follows a newly published configuration: pools for certificates no longer configured and pools that
     * trust another set of authorities than the configuration's are retired (no new requests; closed once
     * their requests finish, idle connections at once), and stats name each certificate by its first id.
     */
    public void onSnapshot(GatewaySnapshot snapshot) {
        Set<String> thumbprints = snapshot.certificates().values().stream()
                .map(CertificateProperties::thumbprint)
                .filter(Objects::nonNull)
                .map(t -> t.toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        Set<X509Certificate> authorities = certificates(snapshot.authorities().values());
        for (Pool pool : pools.values()) {
            PoolKey key = pool.key;
            boolean certificateGone = key.thumbprint() != null
                    && !thumbprints.contains(key.thumbprint().toUpperCase(Locale.ROOT));
            boolean trustChanged = key.validateChain() && !key.authorities().equals(authorities);
            if (certificateGone || trustChanged) {
                retire(pool);
            } else if (key.thumbprint() != null) {
                snapshot.certificateIdForThumbprint(key.thumbprint()).ifPresent(pool::certificateId);
            }
        }
    }

    private void retire(Pool pool) {
        if (pools.remove(pool.key, pool)) {
            LOG.debug("Retiring the connection pool of {}", pool.key.thumbprint());
            retired.add(pool);
            pool.closeIdleConnections(TimeValue.ZERO_MILLISECONDS);
        }
    }

    public List<PoolStats> stats() {
        return pools.values().stream()
                .map(Pool::stats)
                .sorted(Comparator.comparing(PoolStats::certificateId, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(PoolStats::thumbprint, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(PoolStats::validateCertificateChain, Comparator.reverseOrder())
                        .thenComparing(PoolStats::validateCertificateName, Comparator.reverseOrder()))
                .toList();
    }

    /** One janitor round: expire idle connections, close idle pools and unused retired ones. */
    void sweep() {
        try {
            long now = System.nanoTime();
            TimeValue idleConnection = TimeValue.of(settings.idleTimeout());
            for (Map.Entry<PoolKey, Pool> entry : pools.entrySet()) {
                Pool pool = entry.getValue();
                pool.closeIdleConnections(idleConnection);
                if (pool.idleNanos(now) >= settings.poolIdleClose().toNanos() && pool.closeIfUnused()) {
                    pools.remove(entry.getKey(), pool);
                    LOG.debug("Closed the idle connection pool of {}", pool.key.thumbprint());
                }
            }
            List<Pool> done = new ArrayList<>();
            for (Pool pool : retired) {
                if (pool.isClosed() || pool.closeIfUnused()) {
                    done.add(pool);
                }
            }
            retired.removeAll(done);
        } catch (RuntimeException e) {
            LOG.warn("Connection pool maintenance failed", e);
        }
    }

    private Set<X509Certificate> certificates(Collection<AuthorityConfig> authorities) {
        if (authorities == null || authorities.isEmpty()) {
            return Set.of();
        }
        TrustedSet last = lastTrusted;
        if (last.source() == authorities) {
            return last.certificates();
        }
        Set<X509Certificate> certificates = authorities.stream()
                .map(AuthorityConfig::certificate)
                .collect(Collectors.toUnmodifiableSet());
        lastTrusted = new TrustedSet(authorities, certificates);
        return certificates;
    }

    @Override
    public void close() {
        closed = true;
        janitor.shutdownNow();
        pools.values().forEach(Pool::forceClose);
        pools.clear();
        retired.forEach(Pool::forceClose);
        retired.clear();
    }
}
