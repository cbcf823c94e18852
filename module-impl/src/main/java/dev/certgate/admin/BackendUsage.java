package dev.certgate.admin;

import dev.certgate.api.ErrorDetail;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.ScopedPolicy;

import java.util.List;

/** Which policies name a backend with {@code <set-backend-service backend-id="…">}: one detail per policy. */
final class BackendUsage {
    private BackendUsage() {
    }

    static List<ErrorDetail> of(GatewaySnapshot snapshot, String backendId) {
        return ScopedPolicy.of(snapshot).stream()
                .filter(scope -> scope.contains(policy ->
                        policy instanceof SetBackendService set && backendId.equals(set.backendId())))
                .map(scope -> {
                    String entityId = new PolicyLogic.Scope(scope.apiId(), scope.operationId()).entityId();
                    return new ErrorDetail("BackendInUse", entityId,
                            "<set-backend-service backend-id=\"" + backendId + "\"> in the policy " + entityId);
                })
                .toList();
    }
}
