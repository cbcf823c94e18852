package dev.certgate.config;

import dev.certgate.api.model.AuthorityProperties;

import java.security.cert.X509Certificate;

/** A CA certificate trusted for back-end chains, parsed at load time. */
public record AuthorityConfig(String id, AuthorityProperties properties, X509Certificate certificate) {
}
