package dev.certgate.metrics;

import dev.certgate.api.model.CertificateProperties;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.GatewaySnapshot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Seconds until each certificate's and authority's {@code notAfter}, negative once expired: read at each scrape,
 * for the certificates and authorities of the configuration serving (set again with each one published).
 */
final class ExpiryMeters {
    private final Clock clock;
    private final MultiGauge certificates;
    private final MultiGauge authorities;

    ExpiryMeters(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.certificates = MultiGauge.builder("certgate.certificate.expiry").baseUnit("seconds")
                .description("Seconds until the client certificate's notAfter, negative once expired")
                .register(registry);
        this.authorities = MultiGauge.builder("certgate.authority.expiry").baseUnit("seconds")
                .description("Seconds until the authority's notAfter, negative once expired")
                .register(registry);
    }

    void onSnapshot(GatewaySnapshot snapshot) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Map.Entry<String, CertificateProperties> entry : snapshot.certificates().entrySet()) {
            Instant notAfter = entry.getValue().expirationDate();
            if (notAfter != null) {
                rows.add(MultiGauge.Row.of(Tags.of("certificate_id", entry.getKey(),
                        "thumbprint", PoolMeters.orNone(entry.getValue().thumbprint())), () -> secondsUntil(notAfter)));
            }
        }
        certificates.register(rows, true);
        List<MultiGauge.Row<?>> authorityRows = new ArrayList<>();
        for (AuthorityConfig authority : snapshot.authorities().values()) {
            Instant notAfter = authority.certificate().getNotAfter().toInstant();
            authorityRows.add(MultiGauge.Row.of(Tags.of("authority_id", authority.id()), () -> secondsUntil(notAfter)));
        }
        authorities.register(authorityRows, true);
    }

    private double secondsUntil(Instant notAfter) {
        return (notAfter.toEpochMilli() - clock.millis()) / 1000.0;
    }
}
