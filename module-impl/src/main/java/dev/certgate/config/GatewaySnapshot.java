package dev.certgate.config;

import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.PolicyDocument;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable, validated configuration. Requests read one snapshot from start to end; a reload
 * builds a new one off to the side and publishes it with one volatile write. Maps iterate in id order.
 */
public record GatewaySnapshot(long generation, Instant loadedAt, PolicyDocument globalPolicy,
                              Map<String, ApiConfig> apis, Map<String, BackendProperties> backends,
                              Map<String, CertificateProperties> certificates,
                              Map<String, AuthorityConfig> authorities) {

    /** The id of the certificate with this (normalised) SHA-1 thumbprint; the first in id order if several. */
    public Optional<String> certificateIdForThumbprint(String normalizedThumbprint) {
        return certificates.entrySet().stream()
                .filter(e -> e.getValue().thumbprint().equalsIgnoreCase(normalizedThumbprint))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
