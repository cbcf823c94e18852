package dev.certgate.config;

import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.policy.PolicyDocument;

import java.util.Map;

/**
 * An API as loaded: its properties, its own policy document as written ({@link PolicyDocument#INHERIT}
 * when it has no file), its operations by id, and the effective policy (global + API) used when it has
 * no operations.
 */
public record ApiConfig(String id, ApiProperties properties, PolicyDocument policy,
                        Map<String, OperationConfig> operations, PolicyDocument effectivePolicy) {
}
