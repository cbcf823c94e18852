package dev.certgate.certs;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.model.OperationProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Base;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.config.ApiConfig;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.OperationConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CertificateUsageTest {
    private static final java.util.function.Predicate<String> ANY_HOLDS = id -> true;
    private static final String THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
    private static final Map<String, CertificateProperties> CERTIFICATES = Map.of(
            "c1", new CertificateProperties("CN=c1", "CN=ca", THUMBPRINT, "00", Instant.EPOCH, Instant.EPOCH),
            "c2", new CertificateProperties("CN=c2", "CN=ca", "FEDCBA9876543210FEDCBA9876543210FEDCBA98", "00",
                    Instant.EPOCH, Instant.EPOCH));

    @Test
    void everyKindOfUserIsNamedWithItsFile() {
        ApiConfig orders = api("orders", inbound(AuthenticationCertificate.byId("c1")),
                Map.of("get", operation("orders", "get", inbound(AuthenticationCertificate.byThumbprint(THUMBPRINT)))));
        ApiConfig other = api("other", PolicyDocument.INHERIT,
                Map.of("list", operation("other", "list", inbound(AuthenticationCertificate.byId("c2")))));
        GatewaySnapshot snapshot = snapshot(inbound(Base.INSTANCE, AuthenticationCertificate.byThumbprint(THUMBPRINT)),
                List.of(orders, other),
                Map.of("b1", backend(new BackendCredentials(List.of("/certificates/c1"), null, null)),
                        "b2", backend(new BackendCredentials(null, List.of("01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67"), null)),
                        "b3", backend(new BackendCredentials(List.of("c1"), null, null)),
                        "b4", backend(new BackendCredentials(List.of("/certificates/c2"), null, null))));

        List<ErrorDetail> users = CertificateUsage.users(snapshot, "c1", ANY_HOLDS);

        assertThat(users).extracting(ErrorDetail::target).containsExactly("policy.xml", "apis/orders/policy.xml",
                "apis/orders/operations/get/policy.xml", "backends/b1", "backends/b2", "backends/b3");
        assertThat(users).allSatisfy(user -> {
            assertThat(user.code()).isEqualTo("CertificateInUse");
            assertThat(user.message()).contains("c1");
        });
        assertThat(users.get(2).message()).contains("operation get").contains("API orders");
        assertThat(users.get(3).message()).contains("Backend b1");
    }

    @Test
    void requireUnusedThrowsConflictWithTheUsersAsDetails() {
        GatewaySnapshot snapshot = snapshot(PolicyDocument.INHERIT, List.of(),
                Map.of("b1", backend(new BackendCredentials(List.of("/certificates/c1"), null, null))));

        CertgateException conflict = catchThrowableOfType(CertgateException.class,
                () -> CertificateUsage.requireUnused(snapshot, "c1", ANY_HOLDS));

        assertThat(conflict.errorCode()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(conflict.details()).extracting(ErrorDetail::target).containsExactly("backends/b1");
        CertificateUsage.requireUnused(snapshot, "c2", ANY_HOLDS);
    }

    @Test
    void aCertificateNobodyNamesHasNoUsers() {
        GatewaySnapshot snapshot = snapshot(inbound(AuthenticationCertificate.byId("c2")), List.of(),
                Map.of("b1", backend(BackendCredentials.NONE)));

        assertThat(CertificateUsage.users(snapshot, "c1", ANY_HOLDS)).isEmpty();
    }

    @Test
    void aThumbprintReferenceIsSatisfiedWhileAnotherIdHoldsTheSameCertificate() {
        Map<String, CertificateProperties> twice = new TreeMap<>(Map.of("a", CERTIFICATES.get("c1"),
                "b", CERTIFICATES.get("c1")));
        GatewaySnapshot snapshot = snapshot(inbound(AuthenticationCertificate.byThumbprint(THUMBPRINT)),
                List.of(api("orders", inbound(AuthenticationCertificate.byThumbprint(THUMBPRINT)), Map.of())),
                Map.of("b1", backend(new BackendCredentials(null, List.of(THUMBPRINT.toLowerCase()), null))), twice);

        assertThat(CertificateUsage.users(snapshot, "b", ANY_HOLDS)).isEmpty();
        assertThat(CertificateUsage.users(snapshot, "a", ANY_HOLDS)).isEmpty();
        CertificateUsage.requireUnused(snapshot, "b", ANY_HOLDS);

        // Another id whose key store does not hold what its metadata claims (edited by hand) holds nothing.
        assertThat(CertificateUsage.users(snapshot, "b", id -> !id.equals("a"))).extracting(ErrorDetail::target)
                .containsExactly("policy.xml", "apis/orders/policy.xml", "backends/b1");

        GatewaySnapshot alone = snapshot(snapshot.globalPolicy(), List.copyOf(snapshot.apis().values()),
                snapshot.backends(), Map.of("a", CERTIFICATES.get("c1")));
        assertThat(CertificateUsage.users(alone, "a", ANY_HOLDS)).extracting(ErrorDetail::target)
                .containsExactly("policy.xml", "apis/orders/policy.xml", "backends/b1");
    }

    @Test
    void aReferenceByIdBlocksEvenWhenAnotherIdHoldsTheSameCertificate() {
        Map<String, CertificateProperties> twice = new TreeMap<>(Map.of("a", CERTIFICATES.get("c1"),
                "b", CERTIFICATES.get("c1")));
        GatewaySnapshot snapshot = snapshot(inbound(AuthenticationCertificate.byId("b")), List.of(),
                Map.of("b1", backend(new BackendCredentials(List.of("/certificates/b"), null, null))), twice);

        CertgateException conflict = catchThrowableOfType(CertgateException.class,
                () -> CertificateUsage.requireUnused(snapshot, "b", ANY_HOLDS));

        assertThat(conflict.errorCode()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(conflict.details()).extracting(ErrorDetail::target).containsExactly("policy.xml", "backends/b1");
        assertThat(CertificateUsage.users(snapshot, "a", ANY_HOLDS)).isEmpty();
    }

    @Test
    void aBackendsThumbprintListIsIgnoredWhenItNamesCertificateIds() {
        // As the proxy and the loader do (APIM's rule): certificateIds win, the thumbprint list is not used.
        GatewaySnapshot snapshot = snapshot(PolicyDocument.INHERIT, List.of(),
                Map.of("b1", backend(new BackendCredentials(List.of("/certificates/c2"), List.of(THUMBPRINT), null))));

        assertThat(CertificateUsage.users(snapshot, "c1", ANY_HOLDS)).isEmpty();
        assertThat(CertificateUsage.users(snapshot, "c2", ANY_HOLDS)).extracting(ErrorDetail::target).containsExactly("backends/b1");
    }

    private static PolicyDocument inbound(Policy... policies) {
        return new PolicyDocument(List.of(policies), List.of(Base.INSTANCE), List.of(Base.INSTANCE), List.of(Base.INSTANCE));
    }

    private static ApiConfig api(String id, PolicyDocument policy, Map<String, OperationConfig> operations) {
        return new ApiConfig(id, new ApiProperties(id, id, "https://backend.example", List.of("https")), policy,
                new TreeMap<>(operations), policy);
    }

    private static OperationConfig operation(String apiId, String id, PolicyDocument policy) {
        return new OperationConfig(apiId, id, new OperationProperties(id, "GET", "/"), policy, policy);
    }

    private static BackendProperties backend(BackendCredentials credentials) {
        return new BackendProperties("https://backend.example", "http", credentials, null, null);
    }

    private static GatewaySnapshot snapshot(PolicyDocument global, List<ApiConfig> apis,
                                            Map<String, BackendProperties> backends) {
        return snapshot(global, apis, backends, CERTIFICATES);
    }

    private static GatewaySnapshot snapshot(PolicyDocument global, List<ApiConfig> apis,
                                            Map<String, BackendProperties> backends,
                                            Map<String, CertificateProperties> certificates) {
        Map<String, ApiConfig> byId = new TreeMap<>();
        apis.forEach(api -> byId.put(api.id(), api));
        return new GatewaySnapshot(1, Instant.EPOCH, global, byId, new TreeMap<>(backends), new TreeMap<>(certificates),
                Map.of());
    }
}
