package dev.certgate.metrics;

import dev.certgate.config.ApiStatus;
import dev.certgate.config.ConfigService;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * The configuration as {@code /admin/status} reports it: the generation serving, the errors of the last load, the
 * APIs served (their own configuration or their last good one) and unavailable; and how long each load took.
 */
final class ConfigMeters {
    private ConfigMeters() {
    }

    static void bind(MeterRegistry registry, ConfigService config) {
        Gauge.builder("certgate.config.generation", config, c -> c.status().generation())
                .description("The configuration generation serving").strongReference(true).register(registry);
        Gauge.builder("certgate.config.errors", config, c -> c.status().errors().size())
                .description("Errors of the last load of the configuration (0 when it was good)")
                .strongReference(true).register(registry);
        Gauge.builder("certgate.apis", config, c -> count(c, false)).tag("state", "served")
                .description("APIs by state: served (on their own or their last good configuration) or unavailable")
                .strongReference(true).register(registry);
        Gauge.builder("certgate.apis", config, c -> count(c, true)).tag("state", "unavailable")
                .description("APIs by state: served (on their own or their last good configuration) or unavailable")
                .strongReference(true).register(registry);
        Timer loads = Timer.builder("certgate.config.load")
                .description("Loads of the configuration (the first and each reload), published or refused")
                .register(registry);
        config.addLoadListener(nanos -> loads.record(nanos, TimeUnit.NANOSECONDS));
    }

    private static long count(ConfigService config, boolean unavailable) {
        return config.status().apis().stream()
                .filter(api -> api.state() != ApiStatus.State.NOT_CURRENT)
                .filter(api -> (api.state() == ApiStatus.State.UNAVAILABLE) == unavailable)
                .count();
    }
}
