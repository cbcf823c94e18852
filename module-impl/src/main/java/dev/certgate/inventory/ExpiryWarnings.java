package dev.certgate.inventory;

import dev.certgate.api.model.CertificateProperties;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.EntityUsers;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.HomeLayout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.Locale;

/**
 * The certificates and authorities of a configuration that have expired or expire within {@code days}: computed
 * when asked, since the same configuration crosses the line as time passes. A certificate's users are what presents
 * it ({@link EntityUsers#ofCertificate}); an authority has none listed, since which back ends chain to it is only
 * known at their handshake.
 */
public final class ExpiryWarnings {
    public static final String CERTIFICATE_EXPIRED = "CertificateExpired";
    public static final String CERTIFICATE_EXPIRES_SOON = "CertificateExpiresSoon";
    public static final String AUTHORITY_EXPIRED = "AuthorityExpired";
    public static final String AUTHORITY_EXPIRES_SOON = "AuthorityExpiresSoon";

    /**
     * One warning: exactly one of {@code certificateId} and {@code authorityId} is set; {@code file} is relative to
     * the home; {@code users} is null for an authority.
     */
    public record Warning(String code, String file, String certificateId, String authorityId, Instant notAfter,
                          long daysToExpiry, List<EntityUsers.User> users, String message) {
    }

    private ExpiryWarnings() {
    }

    /**
     * Certificates first, then authorities, each in id order. {@code storedNotAfter}: when a certificate's key store
     * says it expires, where known; it wins over the metadata's {@code expirationDate}, which a hand edit can change.
     */
    public static List<Warning> of(GatewaySnapshot snapshot, HomeLayout layout, Instant now, int days,
                                   Function<String, Optional<Instant>> storedNotAfter) {
        Instant horizon = now.plus(Duration.ofDays(days));
        List<Warning> warnings = new ArrayList<>();
        snapshot.certificates().forEach((id, certificate) -> {
            Instant notAfter = notAfter(id, certificate, storedNotAfter);
            if (notAfter != null && notAfter.isBefore(horizon)) {
                warnings.add(certificate(snapshot, layout, id, certificate, notAfter, now));
            }
        });
        snapshot.authorities().forEach((id, authority) -> {
            Instant notAfter = authority.certificate().getNotAfter().toInstant();
            if (notAfter.isBefore(horizon)) {
                warnings.add(authority(layout, id, authority, notAfter, now));
            }
        });
        return List.copyOf(warnings);
    }

    /** When a certificate expires: its key store's date where known, else what its metadata says (null if nothing). */
    public static Instant notAfter(String id, CertificateProperties certificate,
                                   Function<String, Optional<Instant>> storedNotAfter) {
        return storedNotAfter.apply(id).orElse(certificate.expirationDate());
    }

    /** Whole days left, rounded down, so anything already expired is negative rather than 0. */
    public static long daysToExpiry(Instant now, Instant notAfter) {
        return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), Duration.ofDays(1).toSeconds());
    }

    private static Warning certificate(GatewaySnapshot snapshot, HomeLayout layout, String id,
                                       CertificateProperties certificate, Instant notAfter, Instant now) {
        boolean expired = notAfter.isBefore(now);
        List<EntityUsers.User> users = EntityUsers.ofCertificate(snapshot, id);
        String message = "Certificate " + id + " (" + certificate.subject() + ") " + when(expired, notAfter, now)
                + "; " + (users.isEmpty() ? "nothing uses it"
                : "used by " + String.join(", ", users.stream().map(EntityUsers.User::id).toList()))
                + (expired ? ": back ends that check validity refuse it; upload a renewed one under the same id"
                : ": upload a renewed one under the same id before then");
        return new Warning(expired ? CERTIFICATE_EXPIRED : CERTIFICATE_EXPIRES_SOON,
                layout.relative(layout.certificateInformation(id)), id, null, notAfter, daysToExpiry(now, notAfter),
                users, message);
    }

    private static Warning authority(HomeLayout layout, String id, AuthorityConfig authority, Instant notAfter,
                                     Instant now) {
        boolean expired = notAfter.isBefore(now);
        String message = "Authority " + id + " (" + authority.properties().subject() + ") "
                + when(expired, notAfter, now)
                + (expired ? ": back-end chains that lead only to it fail validation; upload its renewed CA"
                : ": back-end chains that lead only to it will fail validation then; upload its renewed CA");
        return new Warning(expired ? AUTHORITY_EXPIRED : AUTHORITY_EXPIRES_SOON,
                layout.relative(layout.authorityPem(id)), null, id, notAfter, daysToExpiry(now, notAfter), null,
                message);
    }

    private static String when(boolean expired, Instant notAfter, Instant now) {
        if (expired) {
            return "expired on " + notAfter;
        }
        long days = daysToExpiry(now, notAfter);
        return "expires " + (days == 0 ? "within a day" : String.format(Locale.ROOT, "in %d day%s", days,
                days == 1 ? "" : "s")) + ", on " + notAfter;
    }
}
