package dev.certgate.metrics;

import dev.certgate.config.ConfigService;
import dev.certgate.observe.RequestObserver;
import dev.certgate.outbound.ClientPools;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * One instance's metrics in one Prometheus registry: requests (once the proxy reports them to {@link #requests()}),
 * pools and TLS handshakes, certificate and authority expiry, the configuration, and the JVM's basics. Meter names
 * are under {@code certgate_}; the JVM's keep Micrometer's standard names ({@code jvm_}, {@code process_},
 * {@code system_}) so that existing dashboards read them.
 */
public final class GatewayMetrics implements AutoCloseable {
    /** The Prometheus text format 0.0.4, answered unless the scraper asks for OpenMetrics. */
    public static final String TEXT = PrometheusTextFormatWriter.CONTENT_TYPE;
    public static final String OPEN_METRICS = OpenMetricsTextFormatWriter.CONTENT_TYPE;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMeters requests = new RequestMeters(registry);
    private final PoolMeters pools;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * Binds the meters; the configuration's expiry and load meters follow loads from now on.
     *
     * @param storedNotAfter when a certificate's key store says it expires, where known (it wins over the metadata's)
     */
    public GatewayMetrics(ConfigService config, ClientPools pools,
                          Function<String, Optional<Instant>> storedNotAfter) {
        this.pools = new PoolMeters(registry, pools);
        pools.addHandshakeListener(new HandshakeMeters(registry));
        ExpiryMeters expiry = new ExpiryMeters(registry, Clock.systemUTC(), storedNotAfter);
        expiry.onSnapshot(config.current());
        config.addListener(expiry::onSnapshot);
        ConfigMeters.bind(registry, config);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The observer the proxy tells of each request it completes. */
    public RequestObserver requests() {
        return requests;
    }

    /** Exposes {@code certgate_requests_in_flight}, read from {@code inFlight} at each scrape. */
    public void inFlight(IntSupplier inFlight) {
        Gauge.builder("certgate.requests.in.flight", inFlight, IntSupplier::getAsInt)
                .description("Proxied requests admitted and not yet answered").strongReference(true)
                .register(registry);
    }

    /** The format to answer a scraper that sent this {@code Accept} header (null when it sent none). */
    public static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS : TEXT;
    }

    /** Writes every meter in {@code contentType} ({@link #TEXT} or {@link #OPEN_METRICS}). */
    public void scrape(String contentType, OutputStream out) throws IOException {
        pools.refresh();
        registry.scrape(out, contentType);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
