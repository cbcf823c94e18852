package dev.certgate.config;

import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.policy.PolicyDocument;

import java.util.Map;

/**
 * An API as loaded: its properties, its own policy document as written ({@link PolicyDocument#INHERIT}
 * when it has no file), its operations by id, the effective policy (global + API) used when it has
 * no operations, and the calls that reach it ({@code route}: its path, and its version when it is in a version set).
 */
public record ApiConfig(String id, ApiProperties properties, PolicyDocument policy,
                        Map<String, OperationConfig> operations, PolicyDocument effectivePolicy, ApiRoute route) {

    /** An API outside any version set, reached under its path. */
    public ApiConfig(String id, ApiProperties properties, PolicyDocument policy,
                     Map<String, OperationConfig> operations, PolicyDocument effectivePolicy) {
        this(id, properties, policy, operations, effectivePolicy, ApiRoute.of(properties.path()));
    }
}
