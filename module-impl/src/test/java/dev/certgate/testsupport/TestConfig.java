package dev.certgate.testsupport;

import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.AuthorityProperties;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.model.OperationProperties;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.ApiConfig;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.OperationConfig;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Builds {@link GatewaySnapshot}s from records, as the configuration loader would, for proxy tests. */
public final class TestConfig {
    private static final AtomicLong GENERATION = new AtomicLong();

    private final Map<String, ApiConfig> apis = new TreeMap<>();
    private final Map<String, BackendProperties> backends = new TreeMap<>();
    private final Map<String, CertificateProperties> certificates = new TreeMap<>();
    private final Map<String, AuthorityConfig> authorities = new TreeMap<>();

    public static TestConfig create() {
        return new TestConfig();
    }

    /** An API without operations; {@code effective} is its composed policy. */
    public TestConfig api(String id, String path, String serviceUrl, PolicyDocument effective) {
        apis.put(id, new ApiConfig(id, new ApiProperties(id, path, serviceUrl, List.of("https")),
                PolicyDocument.INHERIT, Map.of(), effective));
        return this;
    }

    /** An API with operations (see {@link #operation}). */
    public TestConfig api(String id, String path, String serviceUrl, PolicyDocument effective,
                          OperationConfig... operations) {
        Map<String, OperationConfig> byId = new LinkedHashMap<>();
        Arrays.stream(operations).forEach(op -> byId.put(op.id(), op));
        apis.put(id, new ApiConfig(id, new ApiProperties(id, path, serviceUrl, List.of("https")),
                PolicyDocument.INHERIT, byId, effective));
        return this;
    }

    public static OperationConfig operation(String apiId, String id, String method, String urlTemplate,
                                            PolicyDocument effective) {
        return new OperationConfig(apiId, id, new OperationProperties(id, method, urlTemplate), PolicyDocument.INHERIT,
                effective);
    }

    public TestConfig backend(String id, BackendProperties properties) {
        backends.put(id, properties);
        return this;
    }

    public TestConfig certificate(String id, X509Certificate certificate) {
        certificates.put(id, new CertificateProperties(certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(), MtlsBackend.thumbprint(certificate), null,
                certificate.getNotAfter().toInstant(), certificate.getNotBefore().toInstant()));
        return this;
    }

    public TestConfig authority(String id, X509Certificate certificate) {
        authorities.put(id, new AuthorityConfig(id, new AuthorityProperties(certificate.getSubjectX500Principal().getName(),
                MtlsBackend.thumbprint(certificate), certificate.getNotAfter().toInstant(),
                certificate.getNotBefore().toInstant()), certificate));
        return this;
    }

    public GatewaySnapshot snapshot() {
        return new GatewaySnapshot(GENERATION.incrementAndGet(), Instant.now(), PolicyDocument.INHERIT,
                sorted(apis), sorted(backends), sorted(certificates), sorted(authorities));
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** A composed policy: these inbound policies, forward-request with defaults, nothing outbound. */
    public static PolicyDocument inbound(Policy... inbound) {
        return policy(List.of(inbound), List.of(ForwardRequest.DEFAULT), List.of());
    }

    public static PolicyDocument policy(List<Policy> inbound, List<Policy> backend, List<Policy> outbound) {
        return new PolicyDocument(inbound, backend, outbound, List.of());
    }

    /** Key material as the certificate store hands it out. */
    public static KeyMaterial key(String id, TestPki.Issued issued) {
        return new KeyMaterial(id, MtlsBackend.thumbprint(issued.certificate()), issued.privateKey(), issued.chain());
    }
}
