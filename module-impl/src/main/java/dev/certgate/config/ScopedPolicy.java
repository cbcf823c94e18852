package dev.certgate.config;

import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.Section;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A policy document as written for one scope: global ({@code apiId} null), an API, or an operation
 * ({@code operationId} set). The one walk over a snapshot's policies for "who uses this certificate or
 * backend", so that every such question sees the same scopes in the same order.
 */
public record ScopedPolicy(String apiId, String operationId, PolicyDocument document) {

    /** Every scope that has a document, in a stable order: global, then each API followed by its operations. */
    public static List<ScopedPolicy> of(GatewaySnapshot snapshot) {
        List<ScopedPolicy> scopes = new ArrayList<>();
        add(scopes, null, null, snapshot.globalPolicy());
        for (ApiConfig api : snapshot.apis().values()) {
            add(scopes, api.id(), null, api.policy());
            for (OperationConfig operation : api.operations().values()) {
                add(scopes, api.id(), operation.id(), operation.policy());
            }
        }
        return List.copyOf(scopes);
    }

    private static void add(List<ScopedPolicy> scopes, String apiId, String operationId, PolicyDocument document) {
        if (document != null) {
            scopes.add(new ScopedPolicy(apiId, operationId, document));
        }
    }

    /** Whether a policy in any section matches. */
    public boolean contains(Predicate<Policy> test) {
        for (Section section : Section.values()) {
            if (document.section(section).stream().anyMatch(test)) {
                return true;
            }
        }
        return false;
    }

    /** The file relative to {@code config/}: "policy.xml", "apis/a/policy.xml", "apis/a/operations/o/policy.xml". */
    public String file() {
        if (apiId == null) {
            return HomeLayout.POLICY;
        }
        return "apis/" + apiId + (operationId == null ? "" : "/operations/" + operationId) + "/" + HomeLayout.POLICY;
    }

    /** The admin API's id: "/policies/policy", "/apis/a/policies/policy", "/apis/a/operations/o/policies/policy". */
    public String entityId() {
        if (apiId == null) {
            return "/policies/policy";
        }
        return "/apis/" + apiId + (operationId == null ? "" : "/operations/" + operationId) + "/policies/policy";
    }

    /** "The global policy", "The policy of API a", "The policy of operation o of API a". */
    public String description() {
        if (apiId == null) {
            return "The global policy";
        }
        return operationId == null ? "The policy of API " + apiId
                : "The policy of operation " + operationId + " of API " + apiId;
    }
}
