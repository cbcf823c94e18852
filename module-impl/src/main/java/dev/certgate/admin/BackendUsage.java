package dev.certgate.admin;

import dev.certgate.api.ErrorDetail;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.Section;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.config.ApiConfig;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.OperationConfig;

import java.util.ArrayList;
import java.util.List;

/** Which policies name a backend with {@code <set-backend-service backend-id="…">}: one detail per policy. */
final class BackendUsage {
    private BackendUsage() {
    }

    static List<ErrorDetail> of(GatewaySnapshot snapshot, String backendId) {
        List<ErrorDetail> users = new ArrayList<>();
        addIfUsed(users, snapshot.globalPolicy(), PolicyLogic.Scope.global(), backendId);
        for (ApiConfig api : snapshot.apis().values()) {
            addIfUsed(users, api.policy(), PolicyLogic.Scope.api(api.id()), backendId);
            for (OperationConfig op : api.operations().values()) {
                addIfUsed(users, op.policy(), PolicyLogic.Scope.operation(api.id(), op.id()), backendId);
            }
        }
        return users;
    }

    private static void addIfUsed(List<ErrorDetail> users, PolicyDocument policy, PolicyLogic.Scope scope,
                                  String backendId) {
        if (policy == null) {
            return;
        }
        for (Section section : Section.values()) {
            boolean used = policy.section(section).stream().anyMatch(p ->
                    p instanceof SetBackendService set && backendId.equals(set.backendId()));
            if (used) {
                users.add(new ErrorDetail("BackendInUse", scope.entityId(),
                        "<set-backend-service backend-id=\"" + backendId + "\"> in the policy " + scope.entityId()));
                return;
            }
        }
    }
}
