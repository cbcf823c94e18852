package dev.certgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.RewriteUri;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.api.policy.SetHeader;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.RawHttp;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.certgate.testsupport.TestConfig.inbound;
import static dev.certgate.testsupport.TestConfig.operation;
import static org.assertj.core.api.Assertions.assertThat;

/** What travels: method, path, query, headers (minus hop-by-hop, plus X-Forwarded-*), bodies, statuses, redirects. */
class ForwardingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");

    private static MtlsBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        AuthenticationCertificate client = AuthenticationCertificate.byId("client");
        BackendProperties keyed = new BackendProperties(backend.url() + "/base/", "http",
                new BackendCredentials(List.of("/certificates/client"), null, Map.of("X-Api-Key", List.of("k1"))),
                null, null);
        gateway = GatewayHarness.start(TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .backend("keyed", keyed)
                .api("echo", "echo", backend.url() + "/svc", inbound(client))
                .api("nested", "echo/deeper", backend.url() + "/deep", inbound(client))
                .api("root", "", backend.url() + "/root", inbound(client))
                .api("headers", "headers", backend.url(), TestConfig.policy(List.of(client,
                                new SetHeader("X-Added", ExistsAction.OVERRIDE, List.of("one")),
                                new SetHeader("X-Appended", ExistsAction.APPEND, List.of("two")),
                                new SetHeader("X-Kept", ExistsAction.SKIP, List.of("policy")),
                                new SetHeader("X-Removed", ExistsAction.DELETE, null)),
                        List.of(ForwardRequest.DEFAULT),
                        List.of(new SetHeader("X-Out", ExistsAction.OVERRIDE, List.of("out")),
                                new SetHeader("X-End-To-End", ExistsAction.DELETE, null))))
                .api("credentials", "keyed", null, inbound(new SetBackendService(null, "keyed")))
                .api("shop", "shop", backend.url(), inbound(client),
                        operation("shop", "get-order", "GET", "/orders/{id}",
                                inbound(client, new RewriteUri("/v2/orders/{id}?source=gw", true))),
                        operation("shop", "new-order", "GET", "/orders/new", inbound(client)),
                        operation("shop", "any", "POST", "/*", inbound(client)))
                .api("follow", "follow", backend.url(), TestConfig.policy(List.of(client),
                        List.of(new ForwardRequest(30, true)), List.of()))
                .snapshot());
        gateway.key(TestConfig.key("client", CLIENT));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void pathAndRawQueryGoBelowTheServiceUrl() throws Exception {
        JsonNode echo = echo(gateway.get("/echo/a%20b/c;v=1?x=1&y=%20z&x=2"));
        assertThat(echo.get("path").asText()).isEqualTo("/svc/a%20b/c;v=1");
        assertThat(echo.get("query").asText()).isEqualTo("x=1&y=%20z&x=2");
        assertThat(echo(gateway.get("/echo")).get("path").asText()).isEqualTo("/svc");
    }

    @Test
    void theLongestApiPathWinsAndTheRootApiTakesTheRest() throws Exception {
        assertThat(echo(gateway.get("/echo/deeper/x")).get("path").asText()).isEqualTo("/deep/x");
        assertThat(echo(gateway.get("/echodeeper/x")).get("path").asText()).isEqualTo("/root/echodeeper/x");
        assertThat(echo(gateway.get("/")).get("path").asText()).isEqualTo("/root/");
        assertThat(echo(gateway.get("/%65cho/x%2Dy")).get("path").asText())
                .as("an escaped letter is the letter: not a way around the echo API").isEqualTo("/svc/x-y");
    }

    @Test
    void aRevisionUrlIsNotFoundInsteadOfReachingTheRootApi() throws Exception {
        HttpResponse<String> revision = gateway.get("/echo;rev=2/items");

        assertThat(revision.statusCode()).isEqualTo(404);
        assertThat(revision.body()).contains("ResourceNotFound").contains("';rev='");
        assertThat(backend.requests()).noneMatch(seen -> seen.path().contains(";rev="));
        assertThat(echo(gateway.get("/echo/items;rev=2")).get("path").asText())
                .as("a path parameter below the API's path is the back end's").isEqualTo("/svc/items;rev=2");
    }

    @Test
    void methodAndBodyPassThrough() throws Exception {
        JsonNode echo = echo(gateway.send(HttpRequest.newBuilder(gateway.uri("/echo/items"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("name=x&value=y"))
                .header("Content-Type", "application/x-www-form-urlencoded").build()));
        assertThat(echo.get("method").asText()).isEqualTo("PATCH");
        assertThat(echo.get("body").asText()).isEqualTo("name=x&value=y");
        assertThat(echo.get("headers").get("Content-Type").get(0).asText()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(echo.get("headers").get("Content-Length").get(0).asText()).isEqualTo("14");
    }

    @Test
    void hopByHopHeadersAreDroppedBothWaysAndForwardedHeadersAdded() throws Exception {
        RawHttp.Response response = RawHttp.exchange(gateway.port(), """
                GET /echo/hop HTTP/1.1
                Host: gateway.example:8080
                Connection: close, X-Named-Hop
                X-Named-Hop: secret
                Keep-Alive: timeout=5
                TE: trailers
                Trailer: X-Checksum
                Proxy-Authorization: Basic c2VjcmV0
                Proxy-Connection: keep-alive
                X-Forwarded-For: 203.0.113.7
                X-End-To-End: yes

                """);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode headers = JSON.readTree(response.body()).get("headers");
        assertThat(headers.has("X-Named-Hop")).isFalse();
        assertThat(headers.has("Keep-Alive")).isFalse();
        assertThat(headers.has("TE")).isFalse();
        assertThat(headers.has("Trailer")).isFalse();
        assertThat(headers.has("Proxy-Authorization")).isFalse();
        assertThat(headers.has("Proxy-Connection")).isFalse();
        assertThat(headers.get("X-End-To-End").get(0).asText()).isEqualTo("yes");
        assertThat(headers.get("Host").get(0).asText()).isEqualTo("localhost:" + backend.port());
        assertThat(headers.get("X-Forwarded-For").get(0).asText()).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(headers.get("X-Forwarded-Proto").get(0).asText()).isEqualTo("http");
        assertThat(headers.get("X-Forwarded-Host").get(0).asText()).isEqualTo("gateway.example:8080");

        assertThat(response.headerValues("Keep-Alive")).isEmpty();
        assertThat(response.headerValues("Proxy-Authenticate")).isEmpty();
        assertThat(response.headerValues("X-Named-In-Connection")).isEmpty();
        assertThat(response.headerValues("X-End-To-End")).containsExactly("kept");
        assertThat(response.headerValues("X-Multi")).containsExactly("one", "two"); // every value, in order
        assertThat(response.headerValues("Date")).hasSize(1);
        assertThat(response.headerValues("Server")).hasSize(1);
    }

    @Test
    void setHeaderPoliciesEditRequestAndResponse() throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/headers/x"))
                .header("X-Added", "caller").header("X-Appended", "one").header("X-Kept", "caller")
                .header("X-Removed", "caller").build());
        JsonNode headers = echo(response).get("headers");
        assertThat(headers.get("X-Added").get(0).asText()).isEqualTo("one");
        assertThat(headers.get("X-Appended").toString()).contains("one").contains("two");
        assertThat(headers.get("X-Kept").get(0).asText()).isEqualTo("caller");
        assertThat(headers.has("X-Removed")).isFalse();
        assertThat(response.headers().firstValue("X-Out")).hasValue("out");
    }

    @Test
    void backendCredentialsPresentTheCertificateAndSetTheHeader() throws Exception {
        JsonNode echo = echo(gateway.get("/keyed/thing"));
        assertThat(echo.get("path").asText()).isEqualTo("/base/thing");
        assertThat(echo.get("headers").get("X-Api-Key").get(0).asText()).isEqualTo("k1");
        assertThat(echo.get("clientThumbprint").asText()).isEqualTo(MtlsBackend.thumbprint(CLIENT.certificate()));
    }

    @Test
    void operationsMatchByMethodAndTemplateAndRewriteUriUsesTheirParameters() throws Exception {
        JsonNode rewritten = echo(gateway.get("/shop/orders/42?debug=1&id=9"));
        assertThat(rewritten.get("path").asText()).isEqualTo("/v2/orders/42");
        assertThat(rewritten.get("query").asText()).isEqualTo("source=gw&debug=1&id=9");
        assertThat(echo(gateway.get("/shop/orders/new")).get("path").asText()).isEqualTo("/orders/new");
        JsonNode wildcard = echo(gateway.send(HttpRequest.newBuilder(gateway.uri("/shop/any/thing"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build()));
        assertThat(wildcard.get("path").asText()).isEqualTo("/any/thing");
    }

    @Test
    void redirectsAndCookiesPassUnchangedUnlessForwardRequestFollows() throws Exception {
        HttpResponse<String> passed = gateway.get("/echo/redirect?to=https://elsewhere.example/next");
        assertThat(passed.statusCode()).isEqualTo(302);
        assertThat(passed.headers().firstValue("Location")).hasValue("https://elsewhere.example/next");
        assertThat(passed.headers().firstValue("Set-Cookie")).hasValue("session=abc; Path=/; HttpOnly");

        JsonNode followed = echo(gateway.get("/follow/redirect?to=/landed"));
        assertThat(followed.get("path").asText()).isEqualTo("/landed");
    }

    @Test
    void noBodyOnHeadNoContentAndNotModified() {
        HttpResponse<String> head = gateway.send(HttpRequest.newBuilder(gateway.uri("/echo/x"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(backend.requests()).anySatisfy(s -> assertThat(s.method()).isEqualTo("HEAD"));
        assertThat(gateway.get("/echo/status/204").statusCode()).isEqualTo(204);
        HttpResponse<String> notModified = gateway.get("/echo/status/304");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers().firstValue("Content-Length"))
                .as("RFC 9110 8.6: none unless the 200 would be empty; the back end sent none").isEmpty();
        assertThat(gateway.get("/echo/status/418").statusCode()).isEqualTo(418);
    }

    @Test
    void optionsAndTraceReachTheBackEndInsteadOfTheServlet() throws Exception {
        JsonNode options = echo(gateway.send(HttpRequest.newBuilder(gateway.uri("/echo/x"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build()));
        assertThat(options.get("method").asText()).isEqualTo("OPTIONS");
    }

    @Test
    void theStatusProbeIsReservedEvenUnderARootApi() {
        assertThat(gateway.get(ProxyCore.STATUS_PATH).statusCode()).isEqualTo(200);
        assertThat(backend.requests()).noneSatisfy(s -> assertThat(s.path()).contains("status-0123456789abcdef"));
    }

    @Test
    void theStatusProbeRefusesOtherMethodsInTheGatewaysErrorShapeNamingTheAllowedOnes() throws Exception {
        HttpResponse<String> post = gateway.send(HttpRequest.newBuilder(gateway.uri(ProxyCore.STATUS_PATH))
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        JsonNode error = JSON.readTree(post.body());
        assertThat(error.path("reason").asText()).isEqualTo("MethodNotAllowed");
        assertThat(error.path("requestId").asText()).isNotEmpty()
                .isEqualTo(post.headers().firstValue("X-Request-Id").orElseThrow());
    }

    private static JsonNode echo(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
