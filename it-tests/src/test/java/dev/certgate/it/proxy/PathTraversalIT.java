package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.RawHttp;
import dev.certgate.testsupport.TestCerts;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 1 through the real WAR, with raw request lines (an HTTP client would resolve the dot segments
 * itself): the gateway routes on the path without dot segments, forwards that path, and never lets a '.' or
 * '..' segment, raw or encoded, reach a back end.
 */
@ExtendWith(ArquillianExtension.class)
class PathTraversalIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(PathTraversalIT.class);
        return CertgateWar.forClass(PathTraversalIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void configure() {
        if (!configured) {
            GatewaySetup setup = new GatewaySetup(base);
            setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
            setup.certificate("client", TestCerts.client("paths"));
            setup.apiPresenting("orders", "orders", BACKEND.url() + "/internal/public-api", "client");
            setup.apiPresenting("shop", "shop", BACKEND.url() + "/shop", "client");
            setup.operation("shop", "item", "GET", "/items");
            setup.inbound("shop", "<authentication-certificate certificate-id=\"client\" />"
                    + "<rewrite-uri template=\"/items/{id}\" copy-unmatched-params=\"false\" />");
            configured = true;
        }
        BACKEND.reset();
    }

    @AfterEach
    void noDotSegmentEverReachedTheBackEnd() {
        assertThat(BACKEND.requests()).extracting(MtlsBackend.Seen::path)
                .noneMatch(path -> path.matches("(?i).*(/\\.{1,2}(/|;|$)|%2e|%2f|%5c|\\\\).*"));
    }

    @Test
    void dotSegmentsAreRemovedBeforeRoutingAndForwarding() throws IOException {
        RawHttp.Response inside = get("orders/a/../b");

        assertThat(inside.status()).as(inside.body()).isEqualTo(200);
        assertThat(Caller.json(inside.body()).path("path").asText()).isEqualTo("/internal/public-api/b");
        assertThat(get("orders/./c/.").status()).isEqualTo(200);
        assertThat(BACKEND.lastRequest().path()).isEqualTo("/internal/public-api/c/");
    }

    @Test
    void dotDotOutOfAnApiIsRoutedWhereItLeadsNotToTheApi() throws IOException {
        RawHttp.Response response = get("orders/../secret");

        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(Caller.json(response.body()).path("reason").asText()).isEqualTo("ResourceNotFound");
        // Into another API it is that API's request, with the normalised path.
        assertThat(get("orders/../shop/items?id=7").status()).isEqualTo(200);
        assertThat(BACKEND.requests()).extracting(MtlsBackend.Seen::path).containsExactly("/shop/items/7");
    }

    @Test
    void encodedDotSegmentsSeparatorsAndPathParameterTricksAreRefused() throws IOException {
        for (String path : new String[] {"orders/%2e%2e/secret", "orders/%2E%2E/secret", "orders/.%2e/secret",
                "orders/%2e/secret", "orders/a%2fb", "orders/..%2f..%2fsecret", "orders/a%5cb", "orders/..;/secret",
                "orders/..;x=1/secret", "orders/..\\secret"}) {
            RawHttp.Response response = get(path);

            // Jetty refuses these itself (400), as does Tomcat for most; Certgate refuses whatever gets through.
            assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(400);
        }
        assertThat(BACKEND.requests()).isEmpty();
    }

    @Test
    void aPathAboveTheContextRootIsNeverForwarded() throws IOException {
        RawHttp.Response response = get("orders/../../x");

        // Above the context, the container does not even hand the request to this web application.
        assertThat(response.status()).as(response.body()).isIn(400, 404);
        assertThat(BACKEND.requests()).isEmpty();
    }

    @Test
    void pathsWithTheExtensionsContainersGiveTheirJspServletReachTheBackEnd() throws IOException {
        // Jetty's and Tomcat's default descriptors map these to a JSP servlet, which would win over a "/" mapping.
        for (String name : new String[] {"page.jsp", "page.jspx", "page.jspf", "page.xsp", "PAGE.JSP"}) {
            RawHttp.Response response = get("orders/" + name);

            assertThat(response.status()).as(name + ": " + response.body()).isEqualTo(200);
            assertThat(BACKEND.lastRequest().path()).isEqualTo("/internal/public-api/" + name);
        }
    }

    @Test
    void aRewriteMayNotPutADotSegmentFromTheQueryIntoThePath() throws IOException {
        assertThat(get("shop/items?id=42").status()).isEqualTo(200);
        for (String id : new String[] {"..", "../../secret", "%2e%2e", "a%2Fb"}) {
            RawHttp.Response response = get("shop/items?id=" + id);

            assertThat(response.status()).as(id + ": " + response.body()).isEqualTo(400);
            JsonNode error = Caller.json(response.body());
            assertThat(error.path("reason").asText()).isEqualTo("BadRequest");
            assertThat(error.path("message").asText()).contains("rewrite-uri").contains("'..'");
            assertThat(error.path("requestId").asText()).isNotBlank();
        }
        assertThat(BACKEND.requests()).extracting(MtlsBackend.Seen::path).containsExactly("/shop/items/42");
    }

    private RawHttp.Response get(String relative) throws IOException {
        return RawHttp.exchange(base.getPort(), """
                GET %s%s HTTP/1.1
                Host: gateway.example
                Connection: close

                """.formatted(base.getPath(), relative));
    }
}
