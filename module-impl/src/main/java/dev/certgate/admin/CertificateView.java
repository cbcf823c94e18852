package dev.certgate.admin;

import dev.certgate.api.model.CertificateProperties;
import dev.certgate.inventory.ExpiryWarnings;

import java.time.Instant;
import java.util.List;

/**
 * A client certificate as the admin API shows it: the stored metadata plus {@code daysToExpiry} (negative
 * once expired), on upload only the import's {@code warnings}, and on reads its {@code usage}. Never key material
 * or a password. {@code expirationDate} is the key store's (opened for the read if it was not yet), as in the expiry
 * warnings: a metadata file edited by hand must not show a date the certificate does not have.
 */
public record CertificateView(String subject, String issuer, String thumbprint, String thumbprintSha256,
                              Instant expirationDate, Instant notBefore, long daysToExpiry, List<String> warnings,
                              UsageView usage) {

    /** A certificate just imported: its metadata is its key store's. */
    static CertificateView imported(CertificateProperties properties, List<String> warnings, Instant now) {
        return of(properties, properties.expirationDate(), warnings, now, null);
    }

    /** @param notAfter when it expires ({@link ExpiryWarnings#notAfter}) */
    static CertificateView of(CertificateProperties properties, Instant notAfter, List<String> warnings, Instant now,
                              UsageView usage) {
        return new CertificateView(properties.subject(), properties.issuer(), properties.thumbprint(),
                properties.thumbprintSha256(), notAfter, properties.notBefore(), daysBetween(now, notAfter), warnings,
                usage);
    }

    /** Whole days left, rounded down, so anything already expired is negative rather than 0. */
    static long daysBetween(Instant now, Instant expiry) {
        return ExpiryWarnings.daysToExpiry(now, expiry);
    }
}
