package dev.certgate.metrics;

import dev.certgate.CertgateRuntime;
import dev.certgate.testsupport.PrometheusText;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The unauthenticated scrape path, asked first by a servlet as the gateway's servlet and filter do: it answers its
 * own path under the context path only, and lets every other request through.
 */
class MetricsEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path home;

    private static CertgateRuntime runtime;
    private static Server server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        runtime = CertgateRuntime.start(home, Map.of(MetricsEndpoint.ENVIRONMENT, "/metrics"), name -> null);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/ctx");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (!runtime.metricsEndpoint().answer(request, response)) {
                    response.setStatus(299); // the gateway's own handling
                }
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/ctx";
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        runtime.close();
    }

    @Test
    void theMetricsPathAnswersTheScrapeInTheTextFormat() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(GatewayMetrics.TEXT);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(PrometheusText.parse(response.body()).value("certgate_config_generation")).isPositive();
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(response.headers().firstValue("Content-Type")).hasValue(GatewayMetrics.OPEN_METRICS);
        assertThat(response.body()).endsWith("# EOF\n");
    }

    @Test
    void otherPathsAndMethodsAreLeftToTheGatewayOrRefused() throws Exception {
        assertThat(send("GET", "/metricsx", null).statusCode()).isEqualTo(299);
        assertThat(send("GET", "/metrics/x", null).statusCode()).isEqualTo(299);
        assertThat(send("GET", "/api/metrics", null).statusCode()).isEqualTo(299);
        HttpResponse<String> post = send("POST", "/metrics", null);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> head = send("HEAD", "/metrics", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void offUnlessSetAndABadPathStopsTheStart() {
        assertThat(MetricsEndpoint.path(null)).isNull();
        assertThat(MetricsEndpoint.path(" ")).isNull();
        assertThat(MetricsEndpoint.path("/metrics")).isEqualTo("/metrics");
        assertThat(new MetricsEndpoint(null, runtime.metrics()).path()).isNull();
        for (String bad : new String[] {"metrics", "/", "/metrics/", "/admin/metrics", "/m?x=1", "/a b"}) {
            assertThatThrownBy(() -> MetricsEndpoint.path(bad)).as(bad)
                    .hasMessageContaining("certgate.metrics.path").hasMessageContaining("CERTGATE_METRICS_PATH");
        }
    }

    private static HttpResponse<String> send(String method, String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
