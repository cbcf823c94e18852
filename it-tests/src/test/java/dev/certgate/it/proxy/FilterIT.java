package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Pem;
import dev.certgate.it.support.Poll;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.RawHttp;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code CertgateFilter} inside another web application (CONTRACT §6): requests matching an API are proxied,
 * everything else reaches the application untouched. The shop shares its home with a Certgate WAR, whose
 * admin API configures both (the shop picks the change up through the file watch).
 */
@ExtendWith(ArquillianExtension.class)
class FilterIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static final TestPki.Issued CLIENT = TestCerts.client("shop-client");
    /**
     * Made when the class is, not in {@code gateway()}: Arquillian calls the deployment methods in reflection order,
     * which the JVM does not fix (it changed when other test classes were added), and {@code shop()} needs the home.
     */
    private static final Path HOME = CertgateWar.freshHome(FilterIT.class);
    private static boolean configured;

    @ArquillianResource
    @OperateOnDeployment("gateway")
    private URL gateway;

    @ArquillianResource
    @OperateOnDeployment("shop")
    private URL shop;

    @Deployment(name = "gateway", order = 1, testable = false)
    static WebArchive gateway() {
        return CertgateWar.forClass(FilterIT.class);
    }

    @Deployment(name = "shop", order = 2, testable = false)
    static WebArchive shop() {
        return ShopApplication.war("filterit-shop.war", HOME);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void configureAnOrdersApi() {
        if (!configured) {
            GatewaySetup setup = new GatewaySetup(gateway);
            setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
            setup.certificate("client", CLIENT);
            setup.apiPresenting("orders", "orders", BACKEND.url() + "/orders-service", "client");
            // Until the shop's watch has loaded the API, the shop's own servlet answers.
            Caller caller = new Caller(shop);
            Poll.until(Duration.ofSeconds(20), () -> caller.get("orders/0"), r -> r.body().startsWith("{"));
            configured = true;
        }
        BACKEND.reset();
    }

    @Test
    void apiRequestsAreProxiedAndEverythingElseReachesTheApplication() {
        Caller caller = new Caller(shop);

        HttpResponse<String> proxied = caller.get("orders/42?full=yes");
        assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(200);
        JsonNode echo = Caller.json(proxied.body());
        assertThat(echo.path("path").asText()).isEqualTo("/orders-service/42");
        assertThat(echo.path("query").asText()).isEqualTo("full=yes");
        assertThat(echo.path("clientThumbprint").asText()).isEqualTo(Pem.sha1(CLIENT.certificate()));

        assertShopAnswers(caller.get("catalog/shoes?size=42"), "shop: GET /catalog/shoes?size=42");
        assertShopAnswers(caller.get("orders-archive/7"), "shop: GET /orders-archive/7");
        assertShopAnswers(caller.get(""), "shop: GET /");
        assertShopAnswers(caller.send(caller.request("contact")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("name=Ada&topic=tls")).build()),
                "shop: POST /contact name=Ada");
        assertThat(BACKEND.requests()).extracting(MtlsBackend.Seen::path).containsExactly("/orders-service/42");
    }

    /** Issue 15 item 1: the filter decides on the path without dot segments, and never forwards one. */
    @Test
    void theFilterDecidesOnThePathWithoutDotSegments() throws IOException {
        RawHttp.Response intoTheApi = raw("catalog/../orders/7");
        assertThat(intoTheApi.status()).as(intoTheApi.body()).isEqualTo(200);
        assertThat(Caller.json(intoTheApi.body()).path("path").asText()).isEqualTo("/orders-service/7");

        RawHttp.Response outOfTheApi = raw("orders/../catalog/x");
        assertThat(outOfTheApi.status()).isEqualTo(200);
        assertThat(outOfTheApi.body()).isEqualTo("shop: GET /orders/../catalog/x");

        for (String unsafe : new String[] {"orders/%2e%2e/secret", "orders/..;/secret", "orders/a%2fb"}) {
            assertThat(raw(unsafe).status()).as(unsafe).isEqualTo(400);
        }
        assertThat(BACKEND.requests()).extracting(MtlsBackend.Seen::path).containsExactly("/orders-service/7");
    }

    private RawHttp.Response raw(String relative) throws IOException {
        return RawHttp.exchange(shop.getPort(), """
                GET %s%s HTTP/1.1
                Host: shop.example
                Connection: close

                """.formatted(shop.getPath(), relative));
    }

    private static void assertShopAnswers(HttpResponse<String> response, String body) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }
}
