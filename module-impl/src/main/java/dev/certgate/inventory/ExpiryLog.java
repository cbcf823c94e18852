package dev.certgate.inventory;

import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.HomeLayout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Logs the {@link ExpiryWarnings} at WARN at start and once a day after, so that an expiry shows in the log before
 * it shows as failed requests. One daemon thread of its own, stopped by {@link #close}. Lines carry ids, subjects,
 * dates and users only: never key material.
 */
public final class ExpiryLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryLog.class);
    private static final Duration PERIOD = Duration.ofDays(1);

    private final Supplier<GatewaySnapshot> snapshot;
    private final HomeLayout layout;
    private final int days;
    private final Function<String, Optional<Instant>> storedNotAfter;
    private final ScheduledExecutorService executor;

    private ExpiryLog(Supplier<GatewaySnapshot> snapshot, HomeLayout layout, int days,
                      Function<String, Optional<Instant>> storedNotAfter) {
        this.snapshot = snapshot;
        this.layout = layout;
        this.days = days;
        this.storedNotAfter = storedNotAfter;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "certgate-expiry-log");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Logs now (on the calling thread, so the start's log has it in order) and then every day.
     *
     * @param storedNotAfter as for {@link ExpiryWarnings#of}
     */
    public static ExpiryLog start(Supplier<GatewaySnapshot> snapshot, HomeLayout layout, int days,
                                  Function<String, Optional<Instant>> storedNotAfter) {
        ExpiryLog log = new ExpiryLog(snapshot, layout, days, storedNotAfter);
        log.logNow();
        log.executor.scheduleAtFixedRate(log::logNow, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return log;
    }

    /** Never throws: an exception would cancel the daily run. */
    void logNow() {
        try {
            for (ExpiryWarnings.Warning warning : ExpiryWarnings.of(snapshot.get(), layout, Instant.now(), days,
                    storedNotAfter)) {
                LOG.warn("{} {}: {}", warning.code(), warning.file(), warning.message());
            }
        } catch (RuntimeException e) {
            LOG.error("Could not check certificate expiry", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
