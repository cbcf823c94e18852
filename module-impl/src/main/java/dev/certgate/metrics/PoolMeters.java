package dev.certgate.metrics;

import dev.certgate.outbound.ClientPools;
import dev.certgate.outbound.PoolStats;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each pool's connections (leased, available, pending, max) by certificate id and thumbprint, read from the pools'
 * statistics as {@code /admin/status} shows them, before each scrape: pools come and go with traffic and
 * configuration. Pools of one certificate with different TLS settings are added up under its labels.
 */
final class PoolMeters {
    private final ClientPools pools;
    private final MultiGauge leased;
    private final MultiGauge available;
    private final MultiGauge pending;
    private final MultiGauge max;

    PoolMeters(MeterRegistry registry, ClientPools pools) {
        this.pools = pools;
        this.leased = gauge(registry, "certgate.pool.leased", "Connections in use");
        this.available = gauge(registry, "certgate.pool.available", "Idle connections ready for reuse");
        this.pending = gauge(registry, "certgate.pool.pending", "Requests waiting for a connection");
        this.max = gauge(registry, "certgate.pool.max", "The most connections the pool may hold");
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    /** Reads the pools now; a pool gone since the last scrape is dropped. */
    void refresh() {
        Map<Tags, int[]> figures = new LinkedHashMap<>();
        for (PoolStats stats : pools.stats()) {
            int[] sum = figures.computeIfAbsent(Tags.of("certificate_id", orNone(stats.certificateId()),
                    "thumbprint", orNone(stats.thumbprint())), tags -> new int[4]);
            sum[0] += stats.leased();
            sum[1] += stats.available();
            sum[2] += stats.pending();
            sum[3] += stats.max();
        }
        register(leased, figures, 0);
        register(available, figures, 1);
        register(pending, figures, 2);
        register(max, figures, 3);
    }

    private static void register(MultiGauge gauge, Map<Tags, int[]> figures, int index) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>(figures.size());
        figures.forEach((tags, values) -> rows.add(MultiGauge.Row.of(tags, values[index])));
        gauge.register(rows, true);
    }

    static String orNone(String value) {
        return value == null ? RequestMeters.NONE : value;
    }
}
