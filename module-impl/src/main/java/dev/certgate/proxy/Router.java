package dev.certgate.proxy;

import dev.certgate.config.ApiConfig;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.OperationConfig;
import dev.certgate.config.RouteKeys;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the API whose {@code path} is the longest prefix of the request path on a segment boundary
 * (the root API has path ""), then the operation whose method and urlTemplate match. An unavailable API
 * (configuration with errors, no last good one) keeps its path, so its calls are told so rather than
 * taken by a shorter path. Built once per configuration snapshot; immutable.
 */
final class Router {
    private record CompiledOperation(OperationConfig operation, String method, UrlTemplate template) {
    }

    /** A served API ({@code api} set), or an unavailable one ({@code unavailableId} set). */
    private record ApiRoutes(ApiConfig api, List<CompiledOperation> operations, String unavailableId) {
    }

    /** An API matched by path, with the raw rest of the path after the API's path. */
    record ApiMatch(ApiRoutes routes, String rest) {
    }

    private final Map<String, ApiRoutes> byPath;

    private Router(Map<String, ApiRoutes> byPath) {
        this.byPath = byPath;
    }

    static Router of(GatewaySnapshot snapshot) {
        Map<String, ApiRoutes> byPath = new HashMap<>();
        List<ApiConfig> byId = snapshot.apis().values().stream().sorted(Comparator.comparing(ApiConfig::id)).toList();
        for (ApiConfig api : byId) {
            List<CompiledOperation> operations = api.operations().values().stream()
                    .map(op -> new CompiledOperation(op, op.properties().method(),
                            UrlTemplate.compile(op.properties().urlTemplate())))
                    .sorted(Comparator.comparingInt((CompiledOperation c) -> c.template().literalLength()).reversed())
                    .toList();
            // Of two APIs claiming one path (validation should refuse it), the first id keeps it.
            byPath.putIfAbsent(RouteKeys.normalizedPath(api.properties().path()),
                    new ApiRoutes(api, operations, null));
        }
        snapshot.unavailableApis().forEach((id, properties) -> byPath.putIfAbsent(
                RouteKeys.normalizedPath(properties.path()), new ApiRoutes(null, List.of(), id)));
        return new Router(byPath);
    }

    /** The API for a raw, context-relative path such as {@code /orders/42}; null if none. */
    ApiMatch api(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        String candidate = p;
        while (true) {
            ApiRoutes routes = byPath.get(candidate);
            if (routes != null) {
                String rest = candidate.isEmpty() ? "/" + p : p.substring(candidate.length());
                return new ApiMatch(routes, rest);
            }
            if (candidate.isEmpty()) {
                return null;
            }
            int slash = candidate.lastIndexOf('/');
            candidate = slash < 0 ? "" : candidate.substring(0, slash);
        }
    }

    /** The route for a request, or null: no API, an unavailable one, or an API with operations none of which matches. */
    Route route(String method, String path) {
        ApiMatch match = api(path);
        if (match == null || match.routes().api() == null) {
            return null;
        }
        ApiConfig api = match.routes().api();
        if (match.routes().operations().isEmpty()) {
            return new Route(api, null, match.rest(), Map.of(), api.effectivePolicy());
        }
        for (CompiledOperation candidate : match.routes().operations()) {
            if (candidate.method() != null && candidate.method().equalsIgnoreCase(method)) {
                Map<String, String> parameters = candidate.template().match(match.rest());
                if (parameters != null) {
                    OperationConfig op = candidate.operation();
                    return new Route(api, op, match.rest(), parameters, op.effectivePolicy());
                }
            }
        }
        return null;
    }

    /** The id of the unavailable API the path belongs to, or null; asked only when {@link #route} found none. */
    String unavailableApi(String path) {
        ApiMatch match = api(path);
        return match == null ? null : match.routes().unavailableId();
    }
}
