package dev.certgate.proxy;

import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.config.ApiConfig;
import dev.certgate.config.OperationConfig;

import java.util.Map;

/**
 * Where a request goes: its API, its operation (null for an API without operations), the raw path after
 * the API's path ({@code rest}), the template's parameters, and the composed policy to run.
 */
record Route(ApiConfig api, OperationConfig operation, String rest, Map<String, String> pathParameters,
             PolicyDocument policy) {
}
