package dev.certgate.config;

import dev.certgate.api.model.OperationProperties;
import dev.certgate.api.policy.PolicyDocument;

/** An operation as loaded; {@code effectivePolicy} is global + API + operation composed. */
public record OperationConfig(String apiId, String id, OperationProperties properties, PolicyDocument policy,
                              PolicyDocument effectivePolicy) {
}
