package dev.certgate.outbound;

import java.time.Duration;

/**
 * Pool sizes and timeouts. The defaults let 2,000 slow calls or event streams to one back end with one identity
 * be in flight at once (connections are made on demand and closed when idle, so the size is only a ceiling), and
 * bound the wait for a free connection to a few seconds rather than a queue that outlives its callers.
 *
 * @param leaseTimeout the longest a request waits for a pooled connection (then 503 BackendPoolExhausted); a
 *                     forward-request timeout that is shorter bounds it too
 * @param ioThreads    the I/O reactor threads of each pool, which carry all of its connections' I/O and TLS
 * @param tls          the provider of the pools' TLS ({@link BackendTlsProvider})
 */
public record PoolSettings(int maxPerRoute, int maxTotal, Duration connectTimeout, Duration idleTimeout,
                           Duration poolIdleClose, Duration leaseTimeout, int ioThreads, BackendTlsProvider tls) {
    public static final int DEFAULT_MAX_CONNECTIONS = 2048;
    public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Half the processors, leaving the rest to the container's threads, which take each request and hand it over. On
     * 2 cores one reactor thread took 13 % less CPU per 16 KiB answer than HttpCore's default of one per processor
     * (median of five paired benchmark runs): fewer threads to wake, more events per wake-up.
     */
    public static final int DEFAULT_IO_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    public static final PoolSettings DEFAULTS = new PoolSettings(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS,
            Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(10), DEFAULT_LEASE_TIMEOUT,
            DEFAULT_IO_THREADS, BackendTlsProvider.choose(null));

    /** These settings with {@code maxConnections} per pool, all of which may go to one back end. */
    public PoolSettings withMaxConnections(int maxConnections) {
        return new PoolSettings(maxConnections, maxConnections, connectTimeout, idleTimeout, poolIdleClose, leaseTimeout,
                ioThreads, tls);
    }

    public PoolSettings withLeaseTimeout(Duration timeout) {
        return new PoolSettings(maxPerRoute, maxTotal, connectTimeout, idleTimeout, poolIdleClose, timeout, ioThreads, tls);
    }

    public PoolSettings withIoThreads(int threads) {
        return new PoolSettings(maxPerRoute, maxTotal, connectTimeout, idleTimeout, poolIdleClose, leaseTimeout, threads,
                tls);
    }

    public PoolSettings withTls(BackendTlsProvider provider) {
        return new PoolSettings(maxPerRoute, maxTotal, connectTimeout, idleTimeout, poolIdleClose, leaseTimeout, ioThreads,
                provider);
    }
}
