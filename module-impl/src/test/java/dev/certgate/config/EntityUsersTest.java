package dev.certgate.config;

import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.model.OperationProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Base;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.SetBackendService;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class EntityUsersTest {
    private static final String THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
    private static final CertificateProperties C1 =
            new CertificateProperties("CN=c1", "CN=ca", THUMBPRINT, "00", Instant.EPOCH, Instant.EPOCH);
    private static final CertificateProperties C2 = new CertificateProperties("CN=c2", "CN=ca",
            "FEDCBA9876543210FEDCBA9876543210FEDCBA98", "00", Instant.EPOCH, Instant.EPOCH);

    @Test
    void theInventoryNamesPoliciesBackendsAndTheApisAndOperationsWhoseRequestsPresentIt() {
        // "direct" presents c1 by its policy; "routed" by the backend it routes to; in "mixed" only operation "get"
        // presents it, because "put"'s own policy chooses c2, which wins over the backend's credentials.
        ApiConfig direct = api("direct", inbound(AuthenticationCertificate.byId("c1")), Map.of());
        ApiConfig routed = api("routed", inbound(new SetBackendService(null, "b1")), Map.of());
        ApiConfig mixed = api("mixed", inbound(new SetBackendService(null, "b1")), Map.of(
                "get", operation("mixed", "get", PolicyDocument.INHERIT,
                        inbound(new SetBackendService(null, "b1"))),
                "put", operation("mixed", "put", inbound(AuthenticationCertificate.byId("c2")),
                        inbound(new SetBackendService(null, "b1"), AuthenticationCertificate.byId("c2")))));
        ApiConfig other = api("other", inbound(AuthenticationCertificate.byId("c2")), Map.of());
        GatewaySnapshot snapshot = snapshot(List.of(direct, routed, mixed, other),
                Map.of("b1", backend(new BackendCredentials(List.of("/certificates/c1"), null, null)),
                        "b2", backend(BackendCredentials.NONE)),
                Map.of("c1", C1, "c2", C2));

        List<EntityUsers.User> users = EntityUsers.ofCertificate(snapshot, "c1");

        assertThat(users).extracting(EntityUsers.User::kind, EntityUsers.User::id).containsExactly(
                tuple(EntityUsers.Kind.POLICY, "/apis/direct/policies/policy"),
                tuple(EntityUsers.Kind.BACKEND, "/backends/b1"),
                tuple(EntityUsers.Kind.API, "/apis/direct"),
                tuple(EntityUsers.Kind.API, "/apis/mixed"),
                tuple(EntityUsers.Kind.OPERATION, "/apis/mixed/operations/get"),
                tuple(EntityUsers.Kind.API, "/apis/routed"));
        assertThat(EntityUsers.ofCertificate(snapshot, "c2")).extracting(EntityUsers.User::id).containsExactly(
                "/apis/mixed/operations/put/policies/policy", "/apis/other/policies/policy",
                "/apis/mixed", "/apis/mixed/operations/put", "/apis/other");
    }

    @Test
    void aThumbprintReferenceCountsForEveryIdHoldingItInTheInventoryButBlocksADeleteOnlyWhenAlone() {
        GatewaySnapshot snapshot = snapshot(
                List.of(api("orders", inbound(AuthenticationCertificate.byThumbprint(THUMBPRINT)), Map.of())),
                Map.of(), Map.of("a", C1, "b", C1));

        assertThat(EntityUsers.ofCertificate(snapshot, "b")).extracting(EntityUsers.User::id)
                .containsExactly("/apis/orders/policies/policy", "/apis/orders");
        assertThat(EntityUsers.dependingOnCertificate(snapshot, "b", other -> true)).isEmpty();
    }

    @Test
    void aBackendsUsersAreThePoliciesThatRouteToIt() {
        ApiConfig orders = api("orders", inbound(new SetBackendService(null, "b1")), Map.of(
                "get", operation("orders", "get", inbound(new SetBackendService(null, "b1")), PolicyDocument.INHERIT)));
        ApiConfig elsewhere = api("elsewhere", inbound(new SetBackendService("https://x.example", null)), Map.of());
        GatewaySnapshot snapshot = snapshot(List.of(orders, elsewhere), Map.of("b1", backend(BackendCredentials.NONE)),
                Map.of());

        assertThat(EntityUsers.ofBackend(snapshot, "b1")).extracting(EntityUsers.User::id, EntityUsers.User::file)
                .containsExactly(tuple("/apis/orders/policies/policy", "apis/orders/policy.xml"),
                        tuple("/apis/orders/operations/get/policies/policy", "apis/orders/operations/get/policy.xml"));
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    private static PolicyDocument inbound(Policy... policies) {
        return new PolicyDocument(List.of(policies), List.of(Base.INSTANCE), List.of(Base.INSTANCE),
                List.of(Base.INSTANCE));
    }

    private static ApiConfig api(String id, PolicyDocument policy, Map<String, OperationConfig> operations) {
        return new ApiConfig(id, new ApiProperties(id, id, "https://backend.example", List.of("https")), policy,
                new TreeMap<>(operations), policy);
    }

    private static OperationConfig operation(String apiId, String id, PolicyDocument policy, PolicyDocument effective) {
        return new OperationConfig(apiId, id, new OperationProperties(id, "GET", "/"), policy, effective);
    }

    private static BackendProperties backend(BackendCredentials credentials) {
        return new BackendProperties("https://backend.example", "http", credentials, null, null);
    }

    private static GatewaySnapshot snapshot(List<ApiConfig> apis, Map<String, BackendProperties> backends,
                                            Map<String, CertificateProperties> certificates) {
        Map<String, ApiConfig> byId = new TreeMap<>();
        apis.forEach(api -> byId.put(api.id(), api));
        return new GatewaySnapshot(1, Instant.EPOCH, PolicyDocument.INHERIT, byId, new TreeMap<>(backends),
                new TreeMap<>(certificates), Map.of());
    }
}
