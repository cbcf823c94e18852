package dev.certgate.proxy;

import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.config.ApiConfig;
import dev.certgate.config.OperationConfig;

import java.util.Map;
import java.util.Set;

/**
 * Where a request goes: its API, its operation (null for an API without operations), the raw path after
 * the API's path ({@code rest}), the template's parameters, the names of the query parameters the operation's
 * template matched on (empty without an operation), and the composed policy to run.
 */
record Route(ApiConfig api, OperationConfig operation, String rest, Map<String, String> pathParameters,
             Set<String> templateQuery, PolicyDocument policy) {
}
