package dev.certgate.testsupport;

import dev.certgate.LimitSettings;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.observe.RequestRecord;
import dev.certgate.outbound.BackendTlsProvider;
import dev.certgate.outbound.ClientPools;
import dev.certgate.outbound.PoolSettings;
import dev.certgate.proxy.ForwardingSettings;
import dev.certgate.proxy.ProxyCore;
import dev.certgate.proxy.TrustedProxies;
import dev.certgate.web.CertgateServlet;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The proxy core behind {@link CertgateServlet} in an embedded Jetty 12 ee10 context over plain HTTP,
 * fed by a snapshot and key map the test controls, with a JDK client to call it.
 */
public final class GatewayHarness implements AutoCloseable {
    /** The gateway's name in the Via header. */
    public static final String VIA_PSEUDONYM = "certgate-harness";

    private final AtomicReference<GatewaySnapshot> snapshot;
    private final Map<String, KeyMaterial> keys = new ConcurrentHashMap<>();
    private final Map<String, RuntimeException> brokenKeys = new ConcurrentHashMap<>();
    private final ClientPools pools;
    private final ProxyCore core;
    private final List<RequestRecord> records = new CopyOnWriteArrayList<>();
    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private GatewayHarness(GatewaySnapshot initial, PoolSettings settings, TrustedProxies trustedProxies,
                           int maxInFlight) throws Exception {
        this.snapshot = new AtomicReference<>(initial);
        // -Dcertgate.forwarding=blocking (module-impl's blocking-forwarding execution): the tests on the blocking path.
        ForwardingSettings forwarding =
                ForwardingSettings.parse(System.getProperty(ForwardingSettings.MODE), null, null);
        // -Dcertgate.tls.provider=jdk (the same execution): and on the JDK's TLS provider.
        this.pools = new ClientPools(settings.withTls(BackendTlsProvider.choose(System.getProperty(BackendTlsProvider.SETTING))));
        this.core = new ProxyCore(snapshot::get, this::keyById, pools, trustedProxies, VIA_PSEUDONYM, maxInFlight,
                forwarding, records::add);
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("gateway");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        context = new ServletContextHandler("/");
        ServletHolder servlet = new ServletHolder(new CertgateServlet(core));
        servlet.setAsyncSupported(true); // as the WAR declares it
        context.addServlet(servlet, "/*");
        server.setHandler(context);
        server.start();
    }

    /** Every proxied request whose answer is done, in the order they ended. */
    public List<RequestRecord> records() {
        return records;
    }

    public static GatewayHarness start(GatewaySnapshot initial) {
        return start(initial, PoolSettings.DEFAULTS);
    }

    public static GatewayHarness start(GatewaySnapshot initial, PoolSettings settings) {
        return start(initial, settings, TrustedProxies.NONE);
    }

    public static GatewayHarness start(GatewaySnapshot initial, PoolSettings settings, TrustedProxies trustedProxies) {
        return start(initial, settings, trustedProxies, LimitSettings.DEFAULT_MAX_REQUESTS_IN_FLIGHT);
    }

    public static GatewayHarness start(GatewaySnapshot initial, PoolSettings settings, TrustedProxies trustedProxies,
                                       int maxInFlight) {
        try {
            return new GatewayHarness(initial, settings, trustedProxies, maxInFlight);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the gateway", e);
        }
    }

    /** Publishes {@code next} as ConfigService does: the swap, then the pools follow it. */
    public GatewayHarness snapshot(GatewaySnapshot next) {
        snapshot.set(next);
        pools.onSnapshot(next);
        return this;
    }

    public GatewayHarness key(KeyMaterial key) {
        keys.put(key.certificateId(), key);
        return this;
    }

    /**
     * Lets through the request paths Jetty refuses by default (encoded dots and separators, {@code ..;}, a
     * backslash), as a laxer container or configuration would, so the gateway's own checks meet them.
     */
    public GatewayHarness acceptAmbiguousUris() {
        connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration()
                .setUriCompliance(UriCompliance.UNSAFE);
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        return this;
    }

    /** Looking up the key of {@code id} throws {@code failure}: a bug inside the gateway, as a test can cause one. */
    public GatewayHarness brokenKey(String id, RuntimeException failure) {
        brokenKeys.put(id, failure);
        return this;
    }

    private Optional<KeyMaterial> keyById(String id) {
        RuntimeException failure = brokenKeys.get(id);
        if (failure != null) {
            throw failure;
        }
        return Optional.ofNullable(keys.get(id));
    }

    public ClientPools pools() {
        return pools;
    }

    public ProxyCore core() {
        return core;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpClient http() {
        return http;
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            core.close();
            pools.close();
        }
    }
}
