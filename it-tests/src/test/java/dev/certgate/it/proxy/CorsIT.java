package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, APIM's {@code cors} through the real WAR: the gateway answers preflights itself from the cors policy of
 * the route the actual request would take, adds the response headers to actual requests, ends unmatched
 * cross-origin GETs with an empty 200 when told to, leaves preflights to an API that defines OPTIONS, and refuses
 * credentials with any origin.
 */
@ExtendWith(ArquillianExtension.class)
class CorsIT {
    private static final String APP = "https://app.example";
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static final String CORS = """
            <cors allow-credentials="true">
                <allowed-origins>
                    <origin>https://App.example/</origin>
                </allowed-origins>
                <allowed-methods preflight-result-max-age="600">
                    <method>GET</method>
                    <method>PUT</method>
                </allowed-methods>
                <allowed-headers>
                    <header>Content-Type</header>
                    <header>X-Key</header>
                </allowed-headers>
                <expose-headers>
                    <header>X-Trace</header>
                </expose-headers>
            </cors>""";
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(CorsIT.class);
        return CertgateWar.forClass(CorsIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void configure() {
        if (!configured) {
            setup().trustTestServersAndStoreClient(TestCerts.client("cors"));
            setup().api("spa", "spa", BACKEND.url() + "/svc");
            setup().policy("spa", "<policies><inbound>" + CORS + "<base />"
                    + "<authentication-certificate certificate-id=\"client\" /></inbound></policies>");
            setup().api("shop", "shop", BACKEND.url() + "/svc");
            setup().operation("shop", "list", "GET", "/orders");
            setup().operation("shop", "preflight", "OPTIONS", "/custom");
            setup().operation("shop", "custom", "PUT", "/custom");
            setup().policy("shop", "<policies><inbound>" + CORS + "<base />"
                    + "<authentication-certificate certificate-id=\"client\" /></inbound></policies>");
            configured = true;
        }
    }

    private GatewaySetup setup() {
        return new GatewaySetup(base);
    }

    private HttpResponse<String> send(String method, String path, String... headers) {
        Caller caller = new Caller(base);
        HttpRequest.Builder request = caller.request(path).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return caller.send(request.build());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void aPreflightIsAnsweredByTheGatewayFromTheCorsPolicyAndNeverReachesTheBackEnd() {
        int before = BACKEND.requests().size();

        HttpResponse<String> allowed = send("OPTIONS", "spa/orders/7", "Origin", APP,
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "content-type, x-key");

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEmpty();
        assertThat(header(allowed, "Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(header(allowed, "Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(header(allowed, "Access-Control-Allow-Methods")).isEqualTo("PUT");
        assertThat(header(allowed, "Access-Control-Allow-Headers")).isEqualTo("content-type, x-key");
        assertThat(header(allowed, "Access-Control-Max-Age")).isEqualTo("600");
        assertThat(allowed.headers().allValues("Vary")).containsExactly("Origin");

        for (String[] refused : new String[][] {{"https://evil.example", "PUT", "x-key"}, {APP, "DELETE", "x-key"},
                {APP, "PUT", "x-other"}}) {
            HttpResponse<String> unmatched = send("OPTIONS", "spa/orders/7", "Origin", refused[0],
                    "Access-Control-Request-Method", refused[1], "Access-Control-Request-Headers", refused[2]);
            assertThat(unmatched.statusCode()).isEqualTo(200);
            assertThat(unmatched.headers().map().keySet()).as(String.join(" ", refused))
                    .noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
        }
        assertThat(BACKEND.requests()).hasSize(before);
    }

    @Test
    void anActualRequestGetsTheHeadersAndAnUnmatchedCrossOriginGetEndsEmpty() {
        HttpResponse<String> allowed = send("GET", "spa/orders/7", "Origin", APP);

        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(Caller.json(allowed.body()).path("path").asText()).isEqualTo("/svc/orders/7");
        assertThat(header(allowed, "Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(header(allowed, "Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(header(allowed, "Access-Control-Expose-Headers")).isEqualTo("X-Trace");
        assertThat(allowed.headers().allValues("Vary")).contains("Origin");

        HttpResponse<String> sameOrigin = send("GET", "spa/orders/7");
        assertThat(sameOrigin.statusCode()).isEqualTo(200);
        assertThat(header(sameOrigin, "Access-Control-Allow-Origin")).isNull();

        int before = BACKEND.requests().size();
        HttpResponse<String> foreign = send("GET", "spa/orders/7", "Origin", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(200);
        assertThat(foreign.body()).isEmpty();
        assertThat(header(foreign, "Access-Control-Allow-Origin")).isNull();
        assertThat(BACKEND.requests()).hasSize(before);
    }

    @Test
    void aPreflightFindsTheOperationOfTheRequestedMethodAndAnApisOwnOptionsOperationAnswersItself() {
        int before = BACKEND.requests().size();
        HttpResponse<String> byRequestedMethod = send("OPTIONS", "shop/orders", "Origin", APP,
                "Access-Control-Request-Method", "GET");
        assertThat(byRequestedMethod.statusCode()).isEqualTo(200);
        assertThat(header(byRequestedMethod, "Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(BACKEND.requests()).hasSize(before);

        HttpResponse<String> noSuchOperation = send("OPTIONS", "shop/unknown", "Origin", APP,
                "Access-Control-Request-Method", "GET");
        assertThat(noSuchOperation.statusCode()).isEqualTo(404);

        HttpResponse<String> custom = send("OPTIONS", "shop/custom", "Origin", APP,
                "Access-Control-Request-Method", "PUT");
        assertThat(custom.statusCode()).as(custom.body()).isEqualTo(200);
        assertThat(Caller.json(custom.body()).path("method").asText()).isEqualTo("OPTIONS");
        assertThat(BACKEND.requests()).hasSize(before + 1);
    }

    @Test
    void credentialsWithAnyOriginAreRefusedAsApimRefusesThem() {
        String policy = "<policies>\n  <inbound>\n    <cors allow-credentials=\"true\">\n"
                + "      <allowed-origins><origin>*</origin></allowed-origins>\n    </cors>\n  </inbound>\n</policies>";

        Reply refused = setup().admin().put("apis/spa/policies/policy", "application/xml",
                policy.getBytes(StandardCharsets.UTF_8));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("error").path("message").asText()).startsWith("Invalid policy at line 4,"
                + " column 7: <allowed-origins>: the origin * cannot be used with allow-credentials=\"true\"");
    }
}
