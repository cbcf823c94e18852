package dev.certgate.proxy;

import dev.certgate.api.ErrorCode;
import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.SetHeader;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.observe.RequestObserver;
import dev.certgate.observe.RequestRecord;
import dev.certgate.outbound.ClientPools;
import dev.certgate.http.ConnectionHeaders;
import dev.certgate.policy.PolicyComposer;
import dev.certgate.policy.SecretValues;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Routes a request to an API and forwards it; the one core behind {@code CertgateServlet} and
 * {@code CertgateFilter}. Each request reads one configuration snapshot from start to end. With
 * {@code certgate.forwarding=async} a request whose chain is async-capable takes the non-blocking path
 * ({@link AsyncForwarder}); any other request waits on its container thread ({@link Forwarder}), over the same
 * client pools.
 */
public final class ProxyCore implements AutoCloseable {
    /** The health probe path of APIM's self-hosted gateway, reserved whatever the configuration (CONTRACT §4). */
    public static final String STATUS_PATH = "/status-0123456789abcdef";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyCore.class);
    static final String REVISION_NOT_SERVED = "The path names an API revision with ';rev=', which is not served here:"
            + " each API serves its current revision at its own path";

    /** What is derived once per snapshot: the router, the trusted authorities, parsed back-end URLs. */
    private record Routing(GatewaySnapshot snapshot, Router router, List<AuthorityConfig> authorities,
                           Map<String, List<String>> certificateIdsByThumbprint, Map<String, BackendTarget> targets,
                           Map<String, String> shownUrls) {
        static Routing of(GatewaySnapshot snapshot) {
            return new Routing(snapshot, Router.of(snapshot), List.copyOf(snapshot.authorities().values()),
                    ClientCertificates.idsByThumbprint(snapshot), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }

        /** The base URL as the admin API may show it: secret named values as their {@code {{name}}}. */
        String shown(String baseUrl) {
            if (baseUrl == null || snapshot.secrets().isEmpty()) {
                return baseUrl;
            }
            return shownUrls.computeIfAbsent(baseUrl, snapshot.secrets()::keepOut); // once per URL, not per request
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
    /** Null unless the gateway forwards without blocking. */
    private final AsyncForwarder asyncForwarder;
    private final ForwardedHeaders forwardedHeaders;
    private final Via via;
    private final InFlightLimit inFlight;
    private final RequestObserver observer;
    private volatile Routing routing;

    /**
     * @param snapshots      the configuration serving now (read once per request)
     * @param keyById        the key and chain of a stored certificate, empty if missing or unusable
     * @param pools          the outbound clients
     * @param trustedProxies the peers whose X-Forwarded-Host and -Proto are kept
     * @param viaPseudonym   the name of this gateway in {@code Via}, the same for every instance on one home
     * @param maxInFlight    the proxied requests in flight beyond which one is refused at once (the health probe
     *                       is not counted)
     */
    public ProxyCore(Supplier<GatewaySnapshot> snapshots, Function<String, Optional<KeyMaterial>> keyById,
                     ClientPools pools, TrustedProxies trustedProxies, String viaPseudonym, int maxInFlight) {
        this(snapshots, keyById, pools, trustedProxies, viaPseudonym, maxInFlight, ForwardingSettings.BLOCKING,
                record -> { });
    }

    /**
     * As above, forwarding as {@code forwarding} says, and telling {@code observer} of every proxied request once its
     * answer is done.
     */
    public ProxyCore(Supplier<GatewaySnapshot> snapshots, Function<String, Optional<KeyMaterial>> keyById,
                     ClientPools pools, TrustedProxies trustedProxies, String viaPseudonym, int maxInFlight,
                     ForwardingSettings forwarding, RequestObserver observer) {
        this.snapshots = snapshots;
        this.certificates = new ClientCertificates(keyById);
        this.pools = pools;
        this.forwarder = new Forwarder(pools.connectTimeout(), pools.leaseTimeout(), forwarding.bodyDeadline());
        this.asyncForwarder = forwarding.nonBlocking() ? new AsyncForwarder(forwarder, forwarding) : null;
        this.forwardedHeaders = new ForwardedHeaders(trustedProxies);
        this.via = new Via(viaPseudonym);
        this.inFlight = new InFlightLimit(maxInFlight);
        this.observer = observer;
    }

    /** The proxied requests in flight now (the health probe not counted). */
    public int inFlight() {
        return inFlight.current();
    }

    /**
     * For {@code CertgateFilter}: proxies the request if its path below the context path is the status probe or
     * belongs to an API, and answers whether it did (false: nothing was written, the chain has the request). The
     * decision and the proxying read one snapshot, so a configuration published in between cannot split them. A
     * path that cannot be normalised safely is the gateway's (to refuse) if its raw form names an API.
     */
    public boolean handleIfMatched(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Routing current = routing();
        String path;
        try {
            path = RequestPath.below(request.getRequestURI(), request.getContextPath());
        } catch (RequestPath.Refused e) {
            String raw = rawPathBelowContext(request);
            if (!STATUS_PATH.equals(raw) && current.router().api(raw) == null) {
                return false;
            }
            refusePath(request, response, e, null);
            return true;
        }
        if (!STATUS_PATH.equals(path) && current.router().api(path) == null) {
            return false;
        }
        serve(current, path, request, response, false);
        return true;
    }

    /**
     * Proxies the request by its path below {@code prefix}, with dot segments removed (CONTRACT §4), writing
     * the back end's response or an explained error.
     *
     * @param prefix the raw context path, plus the servlet path of a prefix mapping such as {@code /gateway/*}
     * @param lastByteOnDispatch an async dispatch of the request comes back here, and the container's output is
     *        ready for a write in it (Jetty's; Tomcat's is not): the last byte of an answer held whole is then left to
     *        that dispatch ({@link AsyncRelay#sendHeldAnswer})
     */
    public void handleBelow(HttpServletRequest request, HttpServletResponse response, String prefix,
                            boolean lastByteOnDispatch) throws IOException {
        if (AsyncRelay.sendHeldAnswer(request, response)) {
            return;
        }
        String path;
        try {
            path = RequestPath.below(request.getRequestURI(), prefix);
        } catch (RequestPath.Refused e) {
            refusePath(request, response, e, null);
            return;
        }
        serve(routing(), path, request, response, lastByteOnDispatch);
    }

    /**
     * Answers the request for {@code path} (below the prefix, normalised) with the routing of one snapshot; every
     * request but the health probe counts against the cap on requests in flight until it has been answered.
     * {@code lastByteOnDispatch}: see {@link #handleBelow}; never for the filter's requests, whose mapping may leave
     * async dispatches to the rest of the chain.
     */
    private void serve(Routing current, String path, HttpServletRequest request, HttpServletResponse response,
                       boolean lastByteOnDispatch) throws IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(AsyncRelay.ABORT) != null) {
            // The non-blocking path's way to break off an answer where it cannot reset the connection itself.
            throw new IOException("back-end response broke off");
        }
        if (STATUS_PATH.equals(path)) {
            answerStatusProbe(request, response);
            return;
        }
        RequestRecord record = newRecord(request, path);
        request.setAttribute(RequestIds.ATTRIBUTE, record.requestId()); // for the error page, should one be needed
        response.setHeader(RequestIds.HEADER, record.requestId());
        String faultyFraming = RequestBodies.faultyFraming(request);
        if (faultyFraming != null) {
            try {
                refuse(request, response, faultyFraming, record, true);
            } finally {
                done(record, response);
            }
            return;
        }
        if (!inFlight.tryEnter()) {
            try {
                refuseBusy(request, response, path, record);
            } finally {
                done(record, response);
            }
            return;
        }
        boolean handedOver = false;
        try {
            handedOver = route(current, path, request, response, record, lastByteOnDispatch);
        } finally {
            if (!handedOver) {
                inFlight.leave();
                done(record, response);
            }
        }
    }

    /** A new id for the request; the caller's own {@code X-Request-Id} is kept only as its correlation id. */
    private static RequestRecord newRecord(HttpServletRequest request, String path) {
        return new RequestRecord(RequestIds.next(), request.getHeader(RequestIds.HEADER), request.getRemoteAddr(),
                request.getMethod(), path);
    }

    /** The caller's side of the request has ended: the record is complete and the observers hear of it. */
    private void done(RequestRecord record, HttpServletResponse response) {
        record.completed(response.getStatus(), response.isCommitted());
        observer.completed(record);
    }

    /**
     * Refuses a loop, finds the API and operation, and forwards, answering a failure with its explained error. True
     * when the non-blocking path took the request over: it leaves the in-flight count when its answer is done.
     */
    private boolean route(Routing current, String path, HttpServletRequest request, HttpServletResponse response,
                          RequestRecord record, boolean lastByteOnDispatch) throws IOException {
        if (via.passedHere(request)) {
            refuseLoop(request, response, path, record);
            return false;
        }
        if (current.router().namesARevision(path)) {
            LOG.debug("{} {} names an API revision with ';rev=', which is not served (requestId {})",
                    request.getMethod(), path, record.requestId());
            record.failed(ErrorCode.RESOURCE_NOT_FOUND);
            ErrorResponses.write(response, ErrorCode.RESOURCE_NOT_FOUND, REVISION_NOT_SERVED, record.requestId(),
                    List.of());
            return false;
        }
        Route route = current.router().route(request.getMethod(), path, request::getHeader, request.getQueryString());
        if (CorsHandling.answerPreflight(current.router(), route, path, request, response)) {
            return false;
        }
        if (route == null) {
            String requestId = record.requestId();
            String unavailable = current.router().unavailableApi(path, request::getHeader, request.getQueryString());
            if (unavailable != null) {
                LOG.warn("{} {}: API \"{}\" is unavailable: its configuration has errors, listed in /admin/status"
                        + " (requestId {})", request.getMethod(), path, unavailable, requestId);
                record.route(unavailable, null);
                record.failed(ErrorCode.API_UNAVAILABLE);
                ErrorResponses.write(response, ErrorCode.API_UNAVAILABLE, requestId);
                return false;
            }
            LOG.debug("No API or operation for {} {} (requestId {})", request.getMethod(), path, requestId);
            record.failed(ErrorCode.RESOURCE_NOT_FOUND);
            ErrorResponses.write(response, ErrorCode.RESOURCE_NOT_FOUND, requestId);
            return false;
        }
        record.route(route.api().id(), route.operation() == null ? null : route.operation().id());
        try {
            return forward(current, route, request, response, path, record, lastByteOnDispatch);
        } catch (RequestPath.Refused e) {
            refusePath(request, response, e, record); // rewrite-uri built an unsafe path from the request's parameters
        } catch (IOException | RuntimeException e) {
            fail(request, response, path, e, route.policy().onError(), record, current.snapshot().secrets());
        }
        return false;
    }

    /** Forwards; true when the non-blocking path took the request over (see {@link #route}). */
    private boolean forward(Routing current, Route route, HttpServletRequest request, HttpServletResponse response,
                            String path, RequestRecord record, boolean lastByteOnDispatch) throws IOException {
        PolicyDocument policy = route.policy();
        CorsHandling.Actual cors = CorsHandling.actual(policy.inbound(), request);
        if (cors != null && cors.terminate()) {
            CorsHandling.terminate(response);
            return false;
        }
        PolicyDocument answered = cors == null ? policy
                : new PolicyDocument(policy.inbound(), policy.backend(), cors.outbound(policy.outbound()),
                        policy.onError());
        Exchange exchange = new Exchange(route, requestHeaders(request), request.getQueryString());
        Pipeline.inbound(exchange, policy.inbound(), current.snapshot());
        exchange.forwardSettings(PolicyComposer.forwardRequestOf(policy));
        addCredentialHeaders(exchange);
        // Last, after every policy and credential header: what they did to the caller's Via, ours stays on the end.
        via.append(exchange.headers, request);
        KeyMaterial key = certificates.choose(exchange, current.certificateIdsByThumbprint());
        BackendTarget target = current.target(exchange.baseUrl(), route.api().id());
        record.backend(current.shown(exchange.baseUrl()), key == null ? null : key.certificateId(),
                key == null ? null : key.thumbprint());
        if (asyncForwarder != null && request.isAsyncSupported()) {
            ClientPools.Lease lease = pools.lease(key, exchange.tls(), current.authorities());
            try {
                asyncForwarder.forward(lease, target, exchange, answered, request, response, path, record,
                        current.snapshot().secrets(), lastByteOnDispatch, () -> {
                    inFlight.leave();
                    observer.completed(record);
                });
            } catch (IOException | RuntimeException e) {
                lease.close(); // failed before the exchange took the lease
                throw e;
            }
            return true;
        }
        try (ClientPools.Lease lease = pools.lease(key, exchange.tls(), current.authorities())) {
            forwarder.forward(lease, target, exchange, answered.outbound(), request, response, record);
        }
        return false;
    }

    /** The caller's headers minus hop-by-hop fields, framing and Host (the back end's is set), plus X-Forwarded-*. */
    private Headers requestHeaders(HttpServletRequest request) {
        Headers headers = new Headers();
        Set<String> named = HopByHop.connectionTokens(Collections.list(request.getHeaders("Connection")));
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (ConnectionHeaders.isReservedForTheProxy(name) || name.equalsIgnoreCase("host")
                    || HopByHop.named(named, name)) {
                continue;
            }
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                headers.add(name, values.nextElement());
            }
        }
        forwardedHeaders.add(headers, request);
        return headers;
    }

    /** A backend's {@code credentials.header} values are set as given, after the inbound policies. */
    private static void addCredentialHeaders(Exchange exchange) {
        if (exchange.backend() != null) {
            exchange.backend().credentials().header().forEach(exchange.headers::setText);
        }
    }

    /** {@code secrets}: kept out of the log line and of the caller's answer (a message may name the back end). */
    private void fail(HttpServletRequest request, HttpServletResponse response, String path, Exception failure,
                      List<Policy> onError, RequestRecord record, SecretValues secrets) throws IOException {
        if (Failures.callerGone(failure)) {
            record.markCallerLeft();
            LOG.debug("The caller's connection failed during {} {}", request.getMethod(), path, failure);
            if (response.isCommitted()) {
                return; // nobody left to tell; the container closes the connection
            }
            // Nothing was answered yet: let the container end the exchange rather than answer 200 by default.
            throw failure instanceof IOException io ? io : new IOException(failure);
        }
        ErrorCode code = Failures.classify(failure);
        String requestId = record.requestId();
        record.failed(code);
        logFailure(request.getMethod(), path, code, failure, requestId, secrets);
        if (response.isCommitted()) {
            // Part of the back end's answer is out: breaking the connection is the only honest signal left, and
            // only a reset tells a caller whose answer ends with the connection that it did not get it all. Where
            // the container lets us reset it ourselves, nothing is thrown for it to log as a servlet's error.
            if (CallerResets.abort(request)) {
                return;
            }
            throw new IOException("back-end response broke off: " + code.code() + " (requestId " + requestId + ")");
        }
        ErrorResponses.write(response, code, secrets.keepOut(Failures.message(failure)), requestId, onError);
    }

    /** Logs a failure to forward, classified as {@code code}, under the request's id, with no secret in it. */
    static void logFailure(String method, String path, ErrorCode code, Throwable failure, String requestId,
                           SecretValues secrets) {
        if (code == ErrorCode.INTERNAL_ERROR) {
            LOG.error("{} {} failed: {} (requestId {})", method, path, code.code(), requestId,
                    Failures.forLog(failure, secrets));
        } else {
            // A back end's failure is an expected event: its cause in one line, the stack for debugging only.
            LOG.warn("{} {} failed: {}: {} (requestId {})", method, path, code.code(),
                    secrets.keepOut(Failures.describe(failure)), requestId);
            if (LOG.isDebugEnabled()) {
                LOG.debug("The failure of requestId {}", requestId, Failures.forLog(failure, secrets));
            }
        }
    }

    @Override
    public void close() {
        if (asyncForwarder != null) {
            asyncForwarder.close();
        }
    }

    /** 400 naming what is wrong with the path; nothing was sent to a back end. */
    private void refusePath(HttpServletRequest request, HttpServletResponse response, RequestPath.Refused refusal,
                            RequestRecord record) throws IOException {
        refuse(request, response, refusal.getMessage(), record, false);
    }

    /**
     * 400 naming what is wrong with the request; nothing was sent to a back end. {@code record} is null for a
     * request refused before a request record was made: one is made here. {@code closeConnection}: nothing more is
     * read from the caller's connection (what follows cannot be delimited).
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response, String why, RequestRecord record,
                        boolean closeConnection) throws IOException {
        RequestRecord refused = record != null ? record : newRecord(request, rawPathBelowContext(request));
        String requestId = refused.requestId();
        refused.failed(ErrorCode.BAD_REQUEST);
        try {
            LOG.debug("Refused {} {}: {} (requestId {})", request.getMethod(), request.getRequestURI(), why,
                    requestId);
            if (closeConnection) {
                ErrorResponses.writeAndClose(response, ErrorCode.BAD_REQUEST, why, requestId);
            } else {
                ErrorResponses.write(response, ErrorCode.BAD_REQUEST, why, requestId, List.of());
            }
        } finally {
            if (record == null) {
                done(refused, response);
            }
        }
    }

    /** 508: forwarding a request that came round would only start the next round. */
    private static void refuseLoop(HttpServletRequest request, HttpServletResponse response, String path,
                                   RequestRecord record) throws IOException {
        String requestId = record.requestId();
        record.failed(ErrorCode.LOOP_DETECTED);
        LOG.warn("{} {} already passed through this gateway (Via: {}): an API's back-end URL leads back to the"
                        + " gateway; refused with 508 (requestId {})", request.getMethod(), path,
                String.join(", ", Collections.list(request.getHeaders(Via.HEADER))), requestId);
        ErrorResponses.write(response, ErrorCode.LOOP_DETECTED, requestId);
    }

    /**
     * 503 at once, nothing sent to a back end. One warning per burst: a line per refused request would cost the
     * most when the gateway has the least to spare.
     */
    private void refuseBusy(HttpServletRequest request, HttpServletResponse response, String path,
                            RequestRecord record) throws IOException {
        String requestId = record.requestId();
        record.failed(ErrorCode.TOO_MANY_REQUESTS_IN_FLIGHT);
        if (inFlight.warnNow()) {
            LOG.warn("{} {} refused with 503 TooManyRequestsInFlight: {} requests are in flight, the most that"
                    + " certgate.maxRequestsInFlight allows; more refusals within 10 s are logged at debug level"
                    + " (requestId {})", request.getMethod(), path, inFlight.max(), requestId);
        } else {
            LOG.debug("{} {} refused with 503 TooManyRequestsInFlight (requestId {})", request.getMethod(), path,
                    requestId);
        }
        ErrorResponses.write(response, ErrorCode.TOO_MANY_REQUESTS_IN_FLIGHT, requestId);
    }

    /** 200 without a body for GET and HEAD; any other method is refused in the gateway's error shape. */
    private static void answerStatusProbe(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentLength(0);
        } else {
            // The answer is complete once its body is written: Allow goes with it, as a header set on an error does.
            ErrorResponses.write(response, ErrorCode.METHOD_NOT_ALLOWED, "The health probe takes GET and HEAD only",
                    RequestIds.next(), List.of(new SetHeader("Allow", ExistsAction.OVERRIDE, List.of("GET, HEAD"))));
        }
    }

    /**
     * The routing of the snapshot serving now, derived again when a new one is published (identity check). What a
     * new configuration changes elsewhere (pools retired) is done where it is published, not here.
     */
    private Routing routing() {
        GatewaySnapshot snapshot = snapshots.get();
        Routing current = routing;
        if (current == null || current.snapshot() != snapshot) {
            current = Routing.of(snapshot);
            routing = current;
        }
        return current;
    }

    /** The raw request path below the context path, as received; "/" at the context root. */
    private static String rawPathBelowContext(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
        return path.isEmpty() ? "/" : path;
    }
}
