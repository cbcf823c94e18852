package dev.certgate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.CertgateRuntime;
import dev.certgate.config.ConfigChange;
import dev.certgate.config.HomeLayout;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import jakarta.servlet.ServletContext;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static dev.certgate.config.NoPreconditions.NONE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real wiring: CertgateServlet with init-param {@code certgate.home} builds the runtime (configuration,
 * certificate store, pools, proxy), a certificate and an authority uploaded through the stores and an
 * API written to the home are used by the very next request, and destroying the servlet closes the runtime.
 */
class RuntimeWiringTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void aServletBuiltFromAHomeProxiesWithAStoredCertificate() throws Exception {
        TestPki.Issued client = TestCerts.client("wired");
        try (MtlsBackend backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate())) {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            ServletHolder holder = new ServletHolder(CertgateServlet.class);
            holder.setInitParameter(RuntimeLocator.HOME_PARAMETER, home.toString());
            holder.setInitOrder(1);
            context.addServlet(holder, "/*");
            server.setHandler(context);
            server.start();
            ServletContext servletContext = context.getServletContext();
            try {
                CertgateRuntime runtime = (CertgateRuntime) servletContext.getAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
                assertThat(runtime).isNotNull();
                runtime.certificates().put("wired", client.pkcs12("secret"), "secret".toCharArray(), NONE);
                runtime.authorities().put("test-server-ca",
                        TestPki.pem(TestCerts.SERVER_CA.certificate()).getBytes(StandardCharsets.US_ASCII), NONE);
                HomeLayout layout = runtime.config().layout();
                runtime.config().apply(ConfigChange.create()
                        .put(layout.apiInformation("wired"), JSON.writeValueAsBytes(Map.of("properties",
                                Map.of("displayName", "Wired", "path", "wired", "serviceUrl", backend.url()))))
                        .put(layout.apiPolicy("wired"), ("<policies><inbound><base />"
                                + "<authentication-certificate certificate-id=\"wired\" /></inbound></policies>")
                                .getBytes(StandardCharsets.UTF_8)));

                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/wired/hello")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).get("clientThumbprint").asText())
                        .isEqualTo(MtlsBackend.thumbprint(client.certificate()));
                assertThat(runtime.pools().stats()).singleElement()
                        .satisfies(pool -> assertThat(pool.certificateId()).isEqualTo("wired"));
            } finally {
                server.stop();
            }
            assertThat(servletContext.getAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE)).isNull();
        }
    }
}
