package dev.certgate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.LimitSettings;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.outbound.ClientPools;
import dev.certgate.outbound.PoolSettings;
import dev.certgate.proxy.ProxyCore;
import dev.certgate.proxy.TrustedProxies;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.RawHttp;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CertgateFilter inside someone else's web application passes non-API requests to that application;
 * CertgateServlet under a context path and a prefix mapping routes on the path below them.
 */
class WebAdaptersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static MtlsBackend backend;
    private static ClientPools pools;
    private static Server server;
    /** What the core of {@code /once} reads next; every read leaves an empty configuration for the following one. */
    private static final AtomicReference<GatewaySnapshot> PUBLISHED_ONCE = new AtomicReference<>(GatewaySnapshot.empty());
    private static GatewaySnapshot onceSnapshot;

    /** The application the filter is added to: it answers whatever reaches it. */
    public static final class AppServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            // A form body read through getParameter() here must not matter to the filter's proxied requests.
            response.setContentType("text/plain");
            response.getWriter().print("app " + request.getMethod() + " " + request.getRequestURI()
                    + " " + request.getParameter("q"));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        pools = new ClientPools(PoolSettings.DEFAULTS);
        var snapshot = TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .api("api", "api", backend.url(), inbound(AuthenticationCertificate.byId("client")))
                .snapshot();
        ProxyCore core = new ProxyCore(() -> snapshot, id -> Optional.of(TestConfig.key("client", CLIENT))
                .filter(k -> k.certificateId().equals(id)), pools, TrustedProxies.NONE, "certgate-test", LimitSettings.DEFAULT_MAX_REQUESTS_IN_FLIGHT);

        ServletContextHandler app = new ServletContextHandler("/app");
        app.addFilter(new FilterHolder(new CertgateFilter(core)), "/*", EnumSet.of(DispatcherType.REQUEST));
        app.addServlet(new ServletHolder(new AppServlet()), "/*");

        // A configuration published right after each read: a filter that read twice would decide on one and
        // proxy with the other.
        ProxyCore readOnce = new ProxyCore(() -> PUBLISHED_ONCE.getAndSet(GatewaySnapshot.empty()),
                id -> Optional.of(TestConfig.key("client", CLIENT)).filter(k -> k.certificateId().equals(id)), pools,
                TrustedProxies.NONE, "certgate-test", LimitSettings.DEFAULT_MAX_REQUESTS_IN_FLIGHT);
        ServletContextHandler once = new ServletContextHandler("/once");
        once.addFilter(new FilterHolder(new CertgateFilter(readOnce)), "/*", EnumSet.of(DispatcherType.REQUEST));
        once.addServlet(new ServletHolder(new AppServlet()), "/*");
        onceSnapshot = snapshot;

        ServletContextHandler gateway = new ServletContextHandler("/ctx");
        gateway.addServlet(new ServletHolder(new CertgateServlet(core)), "/gw/*");

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Sequence(app, once, gateway));
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        pools.close();
        backend.close();
    }

    @Test
    void theServletLeavesTheEndOfAnAnswerToAnAsyncDispatchOnJettyOnly() {
        assertThat(CertgateServlet.onJetty(new Server().getServerInfo())).as(new Server().getServerInfo()).isTrue();
        assertThat(CertgateServlet.onJetty("jetty/12.1.14")).isTrue();
        // Tomcat's output is not ready for a write in the dispatch.
        assertThat(CertgateServlet.onJetty("Apache Tomcat/10.1.34")).isFalse();
        assertThat(CertgateServlet.onJetty(null)).isFalse();
    }

    @Test
    void theFilterProxiesApiRequests() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/app/api/orders?q=1"))
                .POST(HttpRequest.BodyPublishers.ofString("a=1&b=2"))
                .header("Content-Type", "application/x-www-form-urlencoded").build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var echo = JSON.readTree(response.body());
        assertThat(echo.get("path").asText()).isEqualTo("/orders");
        assertThat(echo.get("body").asText()).isEqualTo("a=1&b=2");
        assertThat(echo.get("clientThumbprint").asText()).isEqualTo(MtlsBackend.thumbprint(CLIENT.certificate()));
    }

    @Test
    void theFilterPassesEveryOtherRequestToTheApplication() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/app/apis/x?q=kept")).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("app GET /app/apis/x kept");
        assertThat(send(HttpRequest.newBuilder(uri("/app/")).build()).body()).startsWith("app GET /app/");
    }

    @Test
    void theFilterDecidesOnThePathWithoutDotSegments() throws Exception {
        RawHttp.Response intoTheApi = raw("/app/apis/../api/a/./b/../c");
        assertThat(intoTheApi.status()).as(intoTheApi.body()).isEqualTo(200);
        assertThat(JSON.readTree(intoTheApi.body()).get("path").asText()).isEqualTo("/a/c");

        RawHttp.Response outOfTheApi = raw("/app/api/../other?q=x");
        assertThat(outOfTheApi.status()).isEqualTo(200);
        assertThat(outOfTheApi.body()).isEqualTo("app GET /app/api/../other x");
        assertThat(backend.requests()).extracting(MtlsBackend.Seen::path).noneMatch(path -> path.contains(".."));
    }

    @Test
    void theFilterDecidesAndProxiesWithOneSnapshotThoughANewOneIsPublishedInBetween() throws Exception {
        PUBLISHED_ONCE.set(onceSnapshot);

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/once/api/orders")).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("path").asText()).isEqualTo("/orders");
        // The next request reads the configuration published meanwhile, without the API: the application's.
        assertThat(send(HttpRequest.newBuilder(uri("/once/api/orders")).build()).body())
                .isEqualTo("app GET /once/api/orders null");
    }

    @Test
    void theServletRoutesOnThePathBelowItsMapping() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/ctx/gw/api/items/1")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("path").asText()).isEqualTo("/items/1");
        assertThat(send(HttpRequest.newBuilder(uri("/ctx/gw" + ProxyCore.STATUS_PATH)).build()).statusCode())
                .isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/ctx/gw/unknown")).build()).statusCode()).isEqualTo(404);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private static int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    private static RawHttp.Response raw(String target) throws IOException {
        return RawHttp.exchange(port(), "GET " + target + " HTTP/1.1\nHost: app.example\nConnection: close\n\n");
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
