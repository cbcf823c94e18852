package dev.certgate.outbound;

import java.time.Duration;

/** Pool sizes and timeouts; the defaults suit one gateway in front of a handful of back ends. */
public record PoolSettings(int maxPerRoute, int maxTotal, Duration connectTimeout, Duration idleTimeout,
                           Duration poolIdleClose) {
    public static final PoolSettings DEFAULTS =
            new PoolSettings(64, 256, Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMinutes(10));
}
