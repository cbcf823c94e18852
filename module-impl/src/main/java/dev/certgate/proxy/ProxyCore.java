package dev.certgate.proxy;

import dev.certgate.api.ErrorCode;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.outbound.ClientPools;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Routes a request to an API and forwards it; the one core behind {@code CertgateServlet} and
 * {@code CertgateFilter}. Each request reads one configuration snapshot from start to end.
 */
public final class ProxyCore {
    /** The health probe path of APIM's self-hosted gateway, reserved whatever the configuration (CONTRACT §4). */
    public static final String STATUS_PATH = "/status-0123456789abcdef";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyCore.class);

    /** What is derived once per snapshot: the router, the trusted authorities, parsed back-end URLs. */
    private record Routing(GatewaySnapshot snapshot, Router router, List<AuthorityConfig> authorities,
                           Map<String, List<String>> certificateIdsByThumbprint, Map<String, BackendTarget> targets) {
        static Routing of(GatewaySnapshot snapshot) {
            return new Routing(snapshot, Router.of(snapshot), List.copyOf(snapshot.authorities().values()),
                    ClientCertificates.idsByThumbprint(snapshot), new ConcurrentHashMap<>());
        }

        /** {@code apiId} names the API in the error when {@code baseUrl} is missing or not a URL. */
        BackendTarget target(String baseUrl, String apiId) {
            BackendTarget target = baseUrl == null ? null : targets.get(baseUrl);
            if (target == null) {
                target = BackendTarget.parse(baseUrl, apiId);
                targets.put(baseUrl, target);
            }
            return target;
        }
    }

    private final Supplier<GatewaySnapshot> snapshots;
    private final ClientCertificates certificates;
    private final ClientPools pools;
    private final Forwarder forwarder;
    private volatile Routing routing;

    /**
     * @param snapshots the configuration serving now (read once per request)
     * @param keyById   the key and chain of a stored certificate, empty if missing or unusable
     * @param pools     the outbound clients
     */
    public ProxyCore(Supplier<GatewaySnapshot> snapshots, Function<String, Optional<KeyMaterial>> keyById,
                     ClientPools pools) {
        this.snapshots = snapshots;
        this.certificates = new ClientCertificates(keyById);
        this.pools = pools;
        this.forwarder = new Forwarder(pools.connectTimeout());
    }

    /** True when the context-relative path is the status probe or belongs to an API (the filter passes other requests on). */
    public boolean matches(HttpServletRequest request) {
        String path = contextPath(request);
        return STATUS_PATH.equals(path) || routing().router().api(path) != null;
    }

    /** Proxies the request by its context-relative path. */
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        handle(request, response, contextPath(request));
    }

    /**
     * Proxies the request, writing the back end's response or an explained error.
     *
     * @param path the raw path the gateway routes on, such as {@code /orders/42}
     */
    public void handle(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        if (STATUS_PATH.equals(path)) {
            answerStatusProbe(request, response);
            return;
        }
        Routing current = routing();
        Route route = current.router().route(request.getMethod(), path);
        if (route == null) {
            String requestId = UUID.randomUUID().toString();
            LOG.debug("No API or operation for {} {} (requestId {})", request.getMethod(), path, requestId);
            ErrorResponses.write(response, ErrorCode.RESOURCE_NOT_FOUND, requestId);
            return;
        }
        try {
            forward(current, route, request, response);
        } catch (IOException | RuntimeException e) {
            fail(request, response, path, e, route.policy().onError());
        }
    }

    private void forward(Routing current, Route route, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        PolicyDocument policy = route.policy();
        Exchange exchange = new Exchange(route, requestHeaders(request), request.getQueryString());
        Pipeline.inbound(exchange, policy.inbound(), current.snapshot());
        exchange.forward(Pipeline.backend(policy.backend()));
        addCredentialHeaders(exchange);
        KeyMaterial key = certificates.choose(exchange, current.certificateIdsByThumbprint());
        BackendTarget target = current.target(exchange.baseUrl(), route.api().id());
        try (ClientPools.Lease lease = pools.lease(key, exchange.tls(), current.authorities())) {
            forwarder.forward(lease.client(), target, exchange, policy.outbound(), request, response);
        }
    }

    /** The caller's headers minus hop-by-hop fields, framing and Host (the back end's is set), plus X-Forwarded-*. */
    private static Headers requestHeaders(HttpServletRequest request) {
        Headers headers = new Headers();
        Set<String> named = HopByHop.connectionTokens(Collections.list(request.getHeaders("Connection")));
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            String lower = name.toLowerCase(Locale.ROOT);
            if (HopByHop.is(lower) || named.contains(lower) || lower.equals("host") || lower.equals("content-length")
                    || lower.equals("expect")) {
                continue;
            }
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                headers.add(name, values.nextElement());
            }
        }
        headers.appendToList("X-Forwarded-For", request.getRemoteAddr());
        headers.appendToList("X-Forwarded-Proto", request.getScheme());
        String host = request.getHeader("Host");
        headers.appendToList("X-Forwarded-Host", host != null ? host : request.getServerName());
        return headers;
    }

    /** A backend's {@code credentials.header} values are set as given, after the inbound policies. */
    private static void addCredentialHeaders(Exchange exchange) {
        if (exchange.backend() != null) {
            exchange.backend().credentials().header().forEach(exchange.headers::set);
        }
    }

    private void fail(HttpServletRequest request, HttpServletResponse response, String path, Exception failure,
                      List<Policy> onError) throws IOException {
        if (Failures.callerGone(failure)) {
            LOG.debug("The caller's connection failed during {} {}", request.getMethod(), path, failure);
            if (response.isCommitted()) {
                return; // nobody left to tell; the container closes the connection
            }
            // Nothing was answered yet: let the container end the exchange rather than answer 200 by default.
            throw failure instanceof IOException io ? io : new IOException(failure);
        }
        ErrorCode code = Failures.classify(failure);
        String requestId = UUID.randomUUID().toString();
        if (code == ErrorCode.INTERNAL_ERROR) {
            LOG.error("{} {} failed: {} (requestId {})", request.getMethod(), path, code.code(), requestId, failure);
        } else {
            // A back end's failure is an expected event: its cause in one line, the stack for debugging only.
            LOG.warn("{} {} failed: {}: {} (requestId {})", request.getMethod(), path, code.code(),
                    Failures.describe(failure), requestId);
            LOG.debug("The failure of requestId {}", requestId, failure);
        }
        if (response.isCommitted()) {
            // Part of the back end's answer is out: breaking the connection is the only honest signal left, and
            // only a reset tells a caller whose answer ends with the connection that it did not get it all.
            CallerResets.resetOnClose(request);
            throw new IOException("back-end response broke off: " + code.code() + " (requestId " + requestId + ")");
        }
        ErrorResponses.write(response, code, Failures.message(failure), requestId, onError);
    }

    private static void answerStatusProbe(HttpServletRequest request, HttpServletResponse response) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentLength(0);
        } else {
            response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            response.setHeader("Allow", "GET, HEAD");
            response.setContentLength(0);
        }
    }

    /** The routing of the snapshot serving now, rebuilt when a new one is published (identity check). */
    private Routing routing() {
        GatewaySnapshot snapshot = snapshots.get();
        Routing current = routing;
        if (current == null || current.snapshot() != snapshot) {
            current = Routing.of(snapshot);
            routing = current;
            pools.onSnapshot(snapshot);
        }
        return current;
    }

    /** The raw request path below the context path; "/" at the context root. */
    static String contextPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
        return path.isEmpty() ? "/" : path;
    }
}
