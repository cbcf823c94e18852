package dev.certgate.admin;

import dev.certgate.api.model.CertificateProperties;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A client certificate as the admin API shows it: the stored metadata plus {@code daysToExpiry} (negative
 * once expired) and, on upload only, the import's {@code warnings}. Never key material or a password.
 */
public record CertificateView(String subject, String issuer, String thumbprint, String thumbprintSha256,
                              Instant expirationDate, Instant notBefore, long daysToExpiry, List<String> warnings) {

    static CertificateView of(CertificateProperties properties, List<String> warnings, Instant now) {
        return new CertificateView(properties.subject(), properties.issuer(), properties.thumbprint(),
                properties.thumbprintSha256(), properties.expirationDate(), properties.notBefore(),
                daysBetween(now, properties.expirationDate()), warnings);
    }

    /** Whole days left, rounded down, so anything already expired is negative rather than 0. */
    static long daysBetween(Instant now, Instant expiry) {
        return Math.floorDiv(Duration.between(now, expiry).toSeconds(), Duration.ofDays(1).toSeconds());
    }
}
