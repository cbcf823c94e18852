package dev.certgate;

import dev.certgate.outbound.PoolSettings;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.BinaryOperator;
import java.util.regex.Pattern;

/**
 * The limits: back-pressure and the admin body size, read once at start like {@code certgate.trustedProxies}
 * (context init-param or system property by name, else environment variable); a value that is not valid stops the
 * start, named.
 *
 * @param pools               the pool settings with {@value #MAX_CONNECTIONS}, {@value #LEASE_TIMEOUT} and
 *                            {@value #IO_THREADS} applied
 * @param maxRequestsInFlight {@value #MAX_REQUESTS_IN_FLIGHT}: proxied requests in flight beyond which one is
 *                            refused at once with 503
 * @param adminMaxBodyBytes   {@value #ADMIN_MAX_BODY_BYTES}: the largest admin request body, uploads included (413
 *                            beyond it)
 */
public record LimitSettings(PoolSettings pools, int maxRequestsInFlight, int adminMaxBodyBytes) {
    public static final String MAX_CONNECTIONS = "certgate.pool.maxConnections";
    public static final String MAX_CONNECTIONS_ENVIRONMENT = "CERTGATE_POOL_MAX_CONNECTIONS";
    public static final String LEASE_TIMEOUT = "certgate.pool.leaseTimeout";
    public static final String LEASE_TIMEOUT_ENVIRONMENT = "CERTGATE_POOL_LEASE_TIMEOUT";
    public static final String IO_THREADS = "certgate.pool.ioThreads";
    public static final String IO_THREADS_ENVIRONMENT = "CERTGATE_POOL_IO_THREADS";
    /** Each pool has its own threads: more than this would be a typo, not a tuning. */
    public static final int MAX_IO_THREADS = 256;
    public static final String MAX_REQUESTS_IN_FLIGHT = "certgate.maxRequestsInFlight";
    public static final String MAX_REQUESTS_IN_FLIGHT_ENVIRONMENT = "CERTGATE_MAX_REQUESTS_IN_FLIGHT";
    /** Room for every pool's connections to be in use with more besides, and under a few hundred MiB of buffers. */
    public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 4096;
    public static final String ADMIN_MAX_BODY_BYTES = "certgate.admin.maxBodyBytes";
    public static final String ADMIN_MAX_BODY_BYTES_ENVIRONMENT = "CERTGATE_ADMIN_MAX_BODY_BYTES";
    /** Room for a PFX with a long chain, base64-encoded in JSON; admin bodies are read whole into memory. */
    public static final int DEFAULT_ADMIN_MAX_BODY_BYTES = 1024 * 1024;

    private static final Pattern WHOLE = Pattern.compile("\\d{1,9}");
    private static final Pattern SECONDS = Pattern.compile("\\d{1,4}(\\.\\d{1,3})?");
    private static final BigDecimal MAX_LEASE_SECONDS = BigDecimal.valueOf(3600);

    /**
     * @param setting the value of a setting by its name and its environment variable's name, null when not set
     * @throws IllegalArgumentException naming the setting, its value and what it takes
     */
    public static LimitSettings read(BinaryOperator<String> setting) {
        PoolSettings pools = PoolSettings.DEFAULTS
                .withMaxConnections(whole(MAX_CONNECTIONS, setting.apply(MAX_CONNECTIONS, MAX_CONNECTIONS_ENVIRONMENT),
                        PoolSettings.DEFAULT_MAX_CONNECTIONS))
                .withLeaseTimeout(seconds(LEASE_TIMEOUT, setting.apply(LEASE_TIMEOUT, LEASE_TIMEOUT_ENVIRONMENT),
                        PoolSettings.DEFAULT_LEASE_TIMEOUT))
                .withIoThreads(whole(IO_THREADS, setting.apply(IO_THREADS, IO_THREADS_ENVIRONMENT),
                        PoolSettings.DEFAULT_IO_THREADS, MAX_IO_THREADS));
        int maxInFlight = whole(MAX_REQUESTS_IN_FLIGHT,
                setting.apply(MAX_REQUESTS_IN_FLIGHT, MAX_REQUESTS_IN_FLIGHT_ENVIRONMENT), DEFAULT_MAX_REQUESTS_IN_FLIGHT);
        int adminMaxBody = whole(ADMIN_MAX_BODY_BYTES,
                setting.apply(ADMIN_MAX_BODY_BYTES, ADMIN_MAX_BODY_BYTES_ENVIRONMENT), DEFAULT_ADMIN_MAX_BODY_BYTES);
        return new LimitSettings(pools, maxInFlight, adminMaxBody);
    }

    private static int whole(String name, String value, int defaultValue) {
        return whole(name, value, defaultValue, 999_999_999);
    }

    private static int whole(String name, String value, int defaultValue, int max) {
        if (value == null) {
            return defaultValue;
        }
        String trimmed = value.trim();
        if (!WHOLE.matcher(trimmed).matches() || Integer.parseInt(trimmed) < 1 || Integer.parseInt(trimmed) > max) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number from 1 to " + max
                    + " (default " + defaultValue + ")");
        }
        return Integer.parseInt(trimmed);
    }

    private static Duration seconds(String name, String value, Duration defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        String trimmed = value.trim();
        BigDecimal seconds = SECONDS.matcher(trimmed).matches() ? new BigDecimal(trimmed) : null;
        if (seconds == null || seconds.signum() <= 0 || seconds.compareTo(MAX_LEASE_SECONDS) > 0) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a number of seconds from 0.001 to "
                    + MAX_LEASE_SECONDS + ", such as 5 or 0.5 (default " + defaultValue.toSeconds() + ")");
        }
        return Duration.ofMillis(seconds.movePointRight(3).longValueExact());
    }
}
