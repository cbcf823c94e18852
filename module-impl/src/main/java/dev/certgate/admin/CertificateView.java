package dev.certgate.admin;

import dev.certgate.api.model.CertificateProperties;
import dev.certgate.inventory.ExpiryWarnings;

import java.time.Instant;
import java.util.List;

/**
 * A client certificate as the admin API shows it: the stored metadata plus {@code daysToExpiry} (negative
 * once expired), on upload only the import's {@code warnings}, and on reads its {@code usage}. Never key material
 * or a password.
 */
public record CertificateView(String subject, String issuer, String thumbprint, String thumbprintSha256,
                              Instant expirationDate, Instant notBefore, long daysToExpiry, List<String> warnings,
                              UsageView usage) {

    static CertificateView of(CertificateProperties properties, List<String> warnings, Instant now) {
        return of(properties, warnings, now, null);
    }

    static CertificateView of(CertificateProperties properties, List<String> warnings, Instant now, UsageView usage) {
        return new CertificateView(properties.subject(), properties.issuer(), properties.thumbprint(),
                properties.thumbprintSha256(), properties.expirationDate(), properties.notBefore(),
                daysBetween(now, properties.expirationDate()), warnings, usage);
    }

    /** Whole days left, rounded down, so anything already expired is negative rather than 0. */
    static long daysBetween(Instant now, Instant expiry) {
        return ExpiryWarnings.daysToExpiry(now, expiry);
    }
}
