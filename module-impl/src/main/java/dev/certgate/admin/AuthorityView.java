package dev.certgate.admin;

import dev.certgate.api.model.AuthorityProperties;

import java.time.Instant;

/** A trusted CA certificate as the admin API shows it, with {@code daysToExpiry}. */
public record AuthorityView(String subject, String thumbprint, Instant expirationDate, Instant notBefore,
                            long daysToExpiry) {

    static AuthorityView of(AuthorityProperties properties, Instant now) {
        return new AuthorityView(properties.subject(), properties.thumbprint(), properties.expirationDate(),
                properties.notBefore(), CertificateView.daysBetween(now, properties.expirationDate()));
    }
}
