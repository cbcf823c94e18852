package dev.certgate.metrics;

import dev.certgate.api.model.CertificateProperties;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.inventory.ExpiryWarnings;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Seconds until each certificate's and authority's {@code notAfter}, negative once expired: read at each scrape,
 * for the certificates and authorities of the configuration serving (set again with each one published).
 */
final class ExpiryMeters {
    private final Clock clock;
    private final Function<String, Optional<Instant>> storedNotAfter;
    private final MultiGauge certificates;
    private final MultiGauge authorities;

    /** @param storedNotAfter when a certificate's key store says it expires, where known (read at each scrape) */
    ExpiryMeters(MeterRegistry registry, Clock clock, Function<String, Optional<Instant>> storedNotAfter) {
        this.clock = clock;
        this.storedNotAfter = storedNotAfter;
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
            String id = entry.getKey();
            CertificateProperties certificate = entry.getValue();
            if (certificate.expirationDate() != null) {
                rows.add(MultiGauge.Row.of(Tags.of("certificate_id", id,
                        "thumbprint", PoolMeters.orNone(certificate.thumbprint())),
                        () -> secondsUntil(ExpiryWarnings.notAfter(id, certificate, storedNotAfter))));
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
