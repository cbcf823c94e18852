package dev.certgate.proxy;

import dev.certgate.api.policy.Cors;
import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.SetHeader;
import dev.certgate.http.Origins;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * APIM's {@code cors} policy at the gateway. A preflight ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) is answered here, by the cors policies of the route the actual request
 * would take, and nothing else runs (APIM: "only the cors policy is evaluated on the OPTIONS request during
 * preflight"); an API with an OPTIONS operation of its own answers its preflights itself. An actual request with
 * an {@code Origin} gets the response headers after the outbound policies. The first cors policy whose origins match
 * decides; one that does not match ends the search when {@code terminate-unmatched-request} is true (then a
 * preflight, or a GET or HEAD, is answered with an empty 200 and goes no further), else the next one is tried.
 */
final class CorsHandling {
    /** What an actual request's answer gets: nothing (null), the end of it, or headers. */
    record Actual(boolean terminate, List<Policy> headers) {
        private static final Actual TERMINATE = new Actual(true, List.of());

        /** The outbound policies with the CORS headers set last. */
        List<Policy> outbound(List<Policy> outbound) {
            List<Policy> all = new ArrayList<>(outbound.size() + headers.size());
            all.addAll(outbound);
            all.addAll(headers);
            return all;
        }
    }

    private CorsHandling() {
    }

    /** Answers the request if it is a preflight that a cors policy handles; false to go on as usual. */
    static boolean answerPreflight(Router router, Route route, String path, HttpServletRequest request,
                                   HttpServletResponse response) {
        if (!"OPTIONS".equals(request.getMethod())) {
            return false;
        }
        String origin = request.getHeader("Origin");
        String method = request.getHeader("Access-Control-Request-Method");
        if (origin == null || method == null || route != null && route.operation() != null) {
            return false;
        }
        Route target = route != null ? route : router.route(method, path);
        if (target == null) {
            return false;
        }
        List<Cors> policies = corsOf(target.policy().inbound());
        if (policies.isEmpty()) {
            return false;
        }
        String requestedHeaders = request.getHeader("Access-Control-Request-Headers");
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentLength(0);
        for (Cors cors : policies) {
            if (originAllowed(cors, origin) && methodAllowed(cors, method) && headersAllowed(cors, requestedHeaders)) {
                allowOrigin(cors, origin, response::setHeader);
                response.setHeader("Access-Control-Allow-Methods", method);
                if (requestedHeaders != null && !requestedHeaders.isBlank()) {
                    response.setHeader("Access-Control-Allow-Headers", requestedHeaders);
                }
                if (cors.preflightResultMaxAge() > 0) {
                    response.setHeader("Access-Control-Max-Age", Integer.toString(cors.preflightResultMaxAge()));
                }
                return true;
            }
            if (cors.terminateUnmatchedRequest()) {
                break;
            }
        }
        return true; // unmatched: an empty 200, which a browser takes as "not allowed"
    }

    /** For a request that is not a preflight: null when there is nothing to do (no Origin, no cors policy). */
    static Actual actual(List<Policy> inbound, HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return null;
        }
        for (Policy policy : inbound) {
            if (policy instanceof Cors cors) {
                if (originAllowed(cors, origin)) {
                    List<Policy> headers = new ArrayList<>(4);
                    allowOrigin(cors, origin, (name, value) -> headers.add(new SetHeader(name,
                            name.equals("Vary") ? ExistsAction.APPEND : ExistsAction.OVERRIDE, List.of(value))));
                    if (!cors.exposeHeaders().isEmpty()) {
                        headers.add(new SetHeader("Access-Control-Expose-Headers", ExistsAction.OVERRIDE,
                                List.of(String.join(", ", cors.exposeHeaders()))));
                    }
                    return new Actual(false, headers);
                }
                if (cors.terminateUnmatchedRequest()) {
                    String method = request.getMethod();
                    return "GET".equals(method) || "HEAD".equals(method) ? Actual.TERMINATE : null;
                }
            }
        }
        return null;
    }

    /** The empty 200 that ends an unmatched cross-origin GET or HEAD. */
    static void terminate(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentLength(0);
    }

    private static List<Cors> corsOf(List<Policy> inbound) {
        List<Cors> policies = new ArrayList<>(1);
        for (Policy policy : inbound) {
            if (policy instanceof Cors cors) {
                policies.add(cors);
            }
        }
        return policies;
    }

    /** {@code *} when any origin may call without credentials; else the caller's own origin, which then varies. */
    private static void allowOrigin(Cors cors, String origin, BiConsumer<String, String> header) {
        if (cors.allowedOrigins().contains(Cors.ANY) && !cors.allowCredentials()) {
            header.accept("Access-Control-Allow-Origin", Cors.ANY);
        } else {
            header.accept("Access-Control-Allow-Origin", origin);
            header.accept("Vary", "Origin");
        }
        if (cors.allowCredentials()) {
            header.accept("Access-Control-Allow-Credentials", "true");
        }
    }

    private static boolean originAllowed(Cors cors, String origin) {
        return cors.allowedOrigins().contains(Cors.ANY) || cors.allowedOrigins().contains(Origins.normalize(origin));
    }

    private static boolean methodAllowed(Cors cors, String method) {
        return cors.allowedMethods().contains(Cors.ANY)
                || cors.allowedMethods().contains(method.trim().toUpperCase(Locale.ROOT));
    }

    /** Every header the caller will send, from the comma-separated {@code Access-Control-Request-Headers}. */
    private static boolean headersAllowed(Cors cors, String requested) {
        if (requested == null || cors.allowedHeaders().contains(Cors.ANY)) {
            return true;
        }
        for (String header : requested.split(",")) {
            String name = header.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !cors.allowedHeaders().contains(name)) {
                return false;
            }
        }
        return true;
    }
}
