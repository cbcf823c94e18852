package dev.certgate.config;

import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.policy.SecretValues;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One immutable, validated configuration. Requests read one snapshot from start to end; a reload
 * builds a new one off to the side and publishes it with one volatile write. Maps iterate in id order.
 * {@code apis} are the APIs served; {@code unavailableApis} the routes (path, version) of those whose
 * configuration has errors and that have no last good one, so that their calls answer 503 rather than 404;
 * {@code secrets} the values of the secret named values put into them, to keep out of logs and answers.
 */
public record GatewaySnapshot(long generation, Instant loadedAt, PolicyDocument globalPolicy,
                              Map<String, ApiConfig> apis, Map<String, BackendProperties> backends,
                              Map<String, CertificateProperties> certificates,
                              Map<String, AuthorityConfig> authorities, Map<String, ApiRoute> unavailableApis,
                              SecretValues secrets) {

    public GatewaySnapshot {
        unavailableApis = unavailableApis == null ? Map.of() : unavailableApis;
        secrets = secrets == null ? SecretValues.NONE : secrets;
    }

    /** A snapshot without secret named values. */
    public GatewaySnapshot(long generation, Instant loadedAt, PolicyDocument globalPolicy,
                           Map<String, ApiConfig> apis, Map<String, BackendProperties> backends,
                           Map<String, CertificateProperties> certificates, Map<String, AuthorityConfig> authorities,
                           Map<String, ApiRoute> unavailableApis) {
        this(generation, loadedAt, globalPolicy, apis, backends, certificates, authorities, unavailableApis,
                SecretValues.NONE);
    }

    /** A snapshot in which every API is served. */
    public GatewaySnapshot(long generation, Instant loadedAt, PolicyDocument globalPolicy,
                           Map<String, ApiConfig> apis, Map<String, BackendProperties> backends,
                           Map<String, CertificateProperties> certificates, Map<String, AuthorityConfig> authorities) {
        this(generation, loadedAt, globalPolicy, apis, backends, certificates, authorities, Map.of());
    }

    /** The configuration before the first good load: nothing configured, generation 0. */
    public static GatewaySnapshot empty() {
        return new GatewaySnapshot(0, Instant.now(), PolicyDocument.INHERIT, Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** The same configuration, published as {@code generation} at {@code loadedAt}. */
    public GatewaySnapshot withGeneration(long generation, Instant loadedAt) {
        return new GatewaySnapshot(generation, loadedAt, globalPolicy, apis, backends, certificates, authorities,
                unavailableApis, secrets);
    }

    /** Whether the same configuration is served: all but the generation, the time and the unavailable APIs. */
    public boolean servesTheSameAs(GatewaySnapshot other) {
        return globalPolicy.equals(other.globalPolicy) && apis.equals(other.apis) && backends.equals(other.backends)
                && certificates.equals(other.certificates) && authorities.equals(other.authorities);
    }

    /** An immutable copy that iterates in key (id) order, safe to share with readers on any thread. */
    static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** The id of the certificate with this (normalised) SHA-1 thumbprint; the first in id order if several. */
    public Optional<String> certificateIdForThumbprint(String normalizedThumbprint) {
        return certificates.entrySet().stream()
                .filter(e -> e.getValue().thumbprint().equalsIgnoreCase(normalizedThumbprint))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
