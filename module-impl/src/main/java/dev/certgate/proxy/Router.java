package dev.certgate.proxy;

import dev.certgate.config.ApiConfig;
import dev.certgate.config.ApiRoute;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.OperationConfig;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Picks the API whose {@code path} is the longest prefix of the request path on a segment boundary
 * (the root API has path ""), then the operation whose method and urlTemplate match. The versions of a
 * version set are told apart as APIM does: by the path segment after the path ({@code Segment}), or by a
 * header or query parameter ({@code Header}, {@code Query}), the version "" being the one reached without.
 * An unavailable API (configuration with errors, no last good one) keeps its route, so its calls are told so
 * rather than taken by another API. Built once per configuration snapshot; immutable.
 */
final class Router {
    private record CompiledOperation(OperationConfig operation, String method, UrlTemplate template) {
    }

    /**
     * What a routing path leads to: a served API ({@code api} set), an unavailable one ({@code unavailableId} set),
     * or the versions of a set that chooses by header or query ({@code versions} set).
     */
    private record ApiRoutes(ApiConfig api, List<CompiledOperation> operations, String unavailableId,
                             Versions versions) {
    }

    /** The versions of a set at one path, chosen by the header or query parameter {@code name}. */
    private record Versions(boolean byHeader, String name, Map<String, ApiRoutes> byVersion) {
        ApiRoutes select(UnaryOperator<String> headers, String query) {
            String version = byHeader ? headers.apply(name) : QueryString.parse(query).first(name);
            return byVersion.get(version == null ? "" : version.trim());
        }
    }

    /** An API matched by path, with the raw rest of the path after the API's path. */
    private static final Pattern REVISION = Pattern.compile(";rev=[^/;]*");

    record ApiMatch(ApiRoutes routes, String rest) {
    }

    private static final UnaryOperator<String> NO_HEADERS = name -> null;

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
                    .sorted(Comparator.comparingInt((CompiledOperation c) -> c.template().literalLength())
                            .thenComparingInt(c -> c.template().queryRequirements()).reversed())
                    .toList();
            add(byPath, api.route(), new ApiRoutes(api, operations, null, null));
        }
        snapshot.unavailableApis().forEach((id, route) -> add(byPath, route, new ApiRoutes(null, List.of(), id, null)));
        return new Router(byPath);
    }

    /** Of two APIs claiming one route (validation refuses it), the first added keeps it: served before unavailable. */
    private static void add(Map<String, ApiRoutes> byPath, ApiRoute route, ApiRoutes routes) {
        if (!route.selectsByRequest()) {
            byPath.putIfAbsent(route.routingPath(), routes);
            return;
        }
        ApiRoutes entry = byPath.computeIfAbsent(route.routingPath(), path -> new ApiRoutes(null, List.of(), null,
                new Versions(route.scheme() == ApiRoute.Scheme.HEADER, route.versionName(), new HashMap<>())));
        if (entry.versions() != null) {
            entry.versions().byVersion().putIfAbsent(route.version(), routes);
        }
    }

    /** What a raw, context-relative path such as {@code /orders/42} belongs to; null if nothing. */
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

    /**
     * Whether {@code path} names a revision the APIM way ({@code /orders;rev=2/items}) where the revision's API
     * would be matched without it: no revision is served by such a URL, and routed as it is the request would go
     * to a shorter API's back end (the root API's, say) with that API's policies and certificate.
     */
    boolean namesARevision(String path) {
        if (path.indexOf(";rev=") < 0) {
            return false;
        }
        String plain = REVISION.matcher(path).replaceAll("");
        ApiMatch named = api(plain);
        if (named == null) {
            return false;
        }
        ApiMatch asSent = api(path);
        return asSent == null || plain.length() - named.rest().length() > path.length() - asSent.rest().length();
    }

    /** As {@link #route(String, String, UnaryOperator, String)} for a request that names no version. */
    Route route(String method, String path) {
        return route(method, path, NO_HEADERS, null);
    }

    /**
     * The route for a request, or null: no API, an unavailable one, a version set without the version asked for,
     * or an API with operations none of which matches. {@code headers} and {@code query} are read only on paths
     * whose versions are chosen by them, and {@code query} by operations whose template has a query part (parsed once
     * for all of them).
     */
    Route route(String method, String path, UnaryOperator<String> headers, String query) {
        ApiMatch match = api(path);
        ApiRoutes routes = match == null ? null : selected(match.routes(), headers, query);
        if (routes == null || routes.api() == null) {
            return null;
        }
        ApiConfig api = routes.api();
        if (routes.operations().isEmpty()) {
            return new Route(api, null, match.rest(), Map.of(), Set.of(), api.effectivePolicy());
        }
        QueryString given = null;
        for (CompiledOperation candidate : routes.operations()) {
            if (candidate.method() != null && candidate.method().equalsIgnoreCase(method)) {
                if (given == null && candidate.template().readsQuery()) {
                    given = QueryString.parse(query);
                }
                Map<String, String> parameters = candidate.template().match(match.rest(), given);
                if (parameters != null) {
                    OperationConfig op = candidate.operation();
                    return new Route(api, op, match.rest(), parameters, candidate.template().queryNames(),
                            op.effectivePolicy());
                }
            }
        }
        return null;
    }

    /** The id of the unavailable API the request belongs to, or null; asked only when {@link #route} found none. */
    String unavailableApi(String path, UnaryOperator<String> headers, String query) {
        ApiMatch match = api(path);
        ApiRoutes routes = match == null ? null : selected(match.routes(), headers, query);
        return routes == null ? null : routes.unavailableId();
    }

    private static ApiRoutes selected(ApiRoutes routes, UnaryOperator<String> headers, String query) {
        return routes.versions() == null ? routes : routes.versions().select(headers, query);
    }
}
