package dev.certgate.api.model;

import java.time.Instant;

/** Public metadata of a CA certificate trusted for back-end chains ({@code authorities/<id>/authority.pem}). */
public record AuthorityProperties(String subject, String thumbprint, Instant expirationDate, Instant notBefore) {
}
