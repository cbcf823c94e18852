package dev.certgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.RewriteUri;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.RawHttp;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.certgate.testsupport.TestConfig.inbound;
import static dev.certgate.testsupport.TestConfig.operation;
import static org.assertj.core.api.Assertions.assertThat;

/** Routing and forwarding use the path without dot segments; forms that would change meaning are refused. */
class PathNormalisationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");

    private static MtlsBackend backend;
    private static GatewayHarness gateway;
    private static GatewayHarness lax;

    @BeforeAll
    static void start() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        gateway = gateway();
        lax = gateway().acceptAmbiguousUris();
    }

    private static GatewayHarness gateway() {
        AuthenticationCertificate client = AuthenticationCertificate.byId("client");
        return GatewayHarness.start(TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .api("orders", "orders", backend.url() + "/internal/public-api", inbound(client))
                .api("shop", "shop", backend.url() + "/shop", inbound(client),
                        operation("shop", "item", "GET", "/items",
                                inbound(client, new RewriteUri("/items/{id}", false))))
                .snapshot()).key(TestConfig.key("client", CLIENT));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        lax.close();
        backend.close();
    }

    @BeforeEach
    void forgetRequests() {
        backend.reset();
    }

    @Test
    void dotSegmentsAreRemovedBeforeRoutingAndNeverForwarded() throws Exception {
        assertThat(get("/orders/a/../b").status()).isEqualTo(200);
        assertThat(get("/orders/./c/.").status()).isEqualTo(200);
        RawHttp.Response outOfTheApi = get("/orders/../secret");

        assertThat(outOfTheApi.status()).isEqualTo(404);
        assertThat(JSON.readTree(outOfTheApi.body()).get("reason").asText()).isEqualTo("ResourceNotFound");
        assertThat(backend.requests()).extracting(MtlsBackend.Seen::path)
                .containsExactly("/internal/public-api/b", "/internal/public-api/c/");
    }

    @Test
    void pathsThatCannotBeNormalisedSafelyAreRefusedWith400EvenWhereTheContainerLetsThemThrough() throws Exception {
        String[][] refusals = {
                {"/orders/%2e%2e/secret", RequestPath.ENCODED_DOT},
                {"/orders/.%2E/secret", RequestPath.ENCODED_DOT},
                {"/orders/%2e/secret", RequestPath.ENCODED_DOT},
                {"/orders/a%2fb", RequestPath.ENCODED_SEPARATOR},
                {"/orders/a%5Cb", RequestPath.ENCODED_SEPARATOR},
                {"/orders/..;/secret", RequestPath.DOT_PARAMETER},
                {"/orders/..\\secret", RequestPath.BACKSLASH}};
        for (String[] refusal : refusals) {
            String path = refusal[0];
            // Jetty's default compliance refuses each of these itself (400); the gateway must never forward them.
            assertThat(get(gateway, path).status()).as(path).isEqualTo(400);

            RawHttp.Response response = get(lax, path);

            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.body()).as(path).startsWith("{");
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.get("reason").asText()).as(path).isEqualTo("BadRequest");
            assertThat(error.get("message").asText()).as(path).isEqualTo(refusal[1]);
            assertThat(error.get("requestId").asText()).as(path).isNotBlank();
        }
        // Above the root Jetty refuses even when lax: it cannot map such a path to a context at all.
        assertThat(get(lax, "/orders/../../x").status()).isEqualTo(400);
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void aRewrittenPathMayNotGainDotSegmentsFromTheQuery() throws Exception {
        assertThat(get("/shop/items?id=42").status()).isEqualTo(200);
        for (String id : new String[] {"..", "../../secret", "%2e%2e", "a%2fb"}) {
            RawHttp.Response response = get("/shop/items?id=" + id);

            assertThat(response.status()).as(id).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("message").asText()).as(id).contains("rewrite-uri");
        }
        assertThat(backend.requests()).extracting(MtlsBackend.Seen::path).containsExactly("/shop/items/42");
    }

    private static RawHttp.Response get(String target) throws Exception {
        return get(gateway, target);
    }

    private static RawHttp.Response get(GatewayHarness through, String target) throws Exception {
        return RawHttp.exchange(through.port(), """
                GET %s HTTP/1.1
                Host: gateway.example
                Connection: close

                """.formatted(target));
    }
}
