package dev.certgate.proxy;

import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.SetHeader;
import dev.certgate.api.policy.PolicyDocument;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static dev.certgate.testsupport.TestConfig.inbound;
import static dev.certgate.testsupport.TestConfig.operation;
import static org.assertj.core.api.Assertions.assertThat;

/** Every row of CONTRACT §4's error table: status, reason, a request id, and nothing else of the cause. */
class ErrorTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");

    private static MtlsBackend backend;
    private static MtlsBackend untrustedChain;
    private static MtlsBackend wrongName;
    private static MtlsBackend refusesOurCertificate;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        TestPki.Issued otherCa = TestPki.selfSigned(TestPki.spec().subject("CN=Unknown CA").ca().ec());
        untrustedChain = MtlsBackend.start(TestCerts.server(otherCa), TestCerts.CLIENT_CA.certificate());
        wrongName = MtlsBackend.start(TestPki.issue(TestCerts.SERVER_CA,
                TestPki.spec().subject("CN=elsewhere").dns("elsewhere.example").serverAuth().ec()),
                TestCerts.CLIENT_CA.certificate());
        refusesOurCertificate = MtlsBackend.start(TestCerts.server(), otherCa.certificate());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AuthenticationCertificate client = AuthenticationCertificate.byId("client");
        gateway = GatewayHarness.start(TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .backend("refused", new BackendProperties("https://127.0.0.1:" + closedPort, "http", null, null, null))
                .api("ok", "ok", backend.url(), inbound(client))
                .api("ops", "ops", backend.url(), inbound(client),
                        operation("ops", "get-order", "GET", "/orders/{id}", inbound(client)))
                .api("chain", "chain", untrustedChain.url(), inbound(client))
                .api("name", "name", wrongName.url(), inbound(client))
                .api("refuses", "refuses", refusesOurCertificate.url(), inbound(client))
                .api("no-certificate", "nocert", backend.url(), inbound())
                .api("ghost-id", "ghost", backend.url(), inbound(AuthenticationCertificate.byId("ghost")))
                .api("ghost-thumbprint", "ghostprint", backend.url(),
                        inbound(AuthenticationCertificate.byThumbprint("00112233445566778899AABBCCDDEEFF00112233")))
                .api("down", "down", null, inbound(new SetBackendService(null, "refused"), client))
                .api("nowhere", "nowhere", null, inbound(client))
                .api("bug", "bug", backend.url(), inbound(AuthenticationCertificate.byId("broken")))
                .api("slow", "slow", backend.url(), TestConfig.policy(List.of(client),
                        List.of(new ForwardRequest(1, false)), List.of()))
                .api("down-with-on-error", "downerr", null, new PolicyDocument(
                        List.of(new SetBackendService(null, "refused"), client), List.of(), List.of(),
                        List.of(new SetHeader("X-Gateway-Error", ExistsAction.OVERRIDE, List.of("see requestId")))))
                .snapshot());
        gateway.key(TestConfig.key("client", CLIENT));
        gateway.brokenKey("broken", new NullPointerException("a bug's detail"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        for (MtlsBackend b : new MtlsBackend[] {backend, untrustedChain, wrongName, refusesOurCertificate}) {
            b.close();
        }
    }

    @Test
    void onErrorPoliciesSetHeadersOnTheErrorAnswer() throws Exception {
        java.net.http.HttpResponse<String> response = gateway.get("/downerr/x");
        error(response, 500, "BackendConnectionFailure");
        assertThat(response.headers().allValues("X-Gateway-Error")).containsExactly("see requestId");
        assertThat(gateway.get("/down/x").headers().firstValue("X-Gateway-Error")).isEmpty();
    }

    @Test
    void noApiIs404() throws Exception {
        JsonNode error = error(gateway.get("/nothing-here/x"), 404, "ResourceNotFound");
        assertThat(error.get("message").asText()).isEqualTo("Resource not found");
    }

    @Test
    void anApiWithOperationsNoneOfWhichMatchesIs404() throws Exception {
        assertThat(gateway.get("/ops/orders/42").statusCode()).isEqualTo(200);
        error(gateway.get("/ops/customers/42"), 404, "ResourceNotFound");
        error(gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/ops/orders/42"))
                .DELETE().build()), 404, "ResourceNotFound");
    }

    @Test
    void aPathPrefixOffASegmentBoundaryIsNotTheApi() throws Exception {
        error(gateway.get("/okay/x"), 404, "ResourceNotFound");
    }

    @Test
    void untrustedBackEndChainIsAValidationFailureNamingTheIssuer() throws Exception {
        JsonNode error = error(gateway.get("/chain/x"), 500, "BackendTlsValidationFailed");
        assertThat(error.get("message").asText()).contains("chain is not trusted", "CN=Unknown CA");
    }

    @Test
    void backEndNameMismatchIsAValidationFailureNamingTheHostAndTheCertificatesNames() throws Exception {
        JsonNode error = error(gateway.get("/name/x"), 500, "BackendTlsValidationFailed");
        assertThat(error.get("message").asText())
                .contains("does not name the host \"localhost\"", "[elsewhere.example]");
    }

    @Test
    void anApiWithoutABackEndIsAConfigurationErrorNamingTheApi() throws Exception {
        JsonNode error = error(gateway.get("/nowhere/x"), 500, "ConfigurationError");
        assertThat(error.get("message").asText()).contains("\"nowhere\"", "serviceUrl", "set-backend-service");
    }

    @Test
    void aBugIsAnInternalErrorNotAnUnreachableBackEnd() throws Exception {
        JsonNode error = error(gateway.get("/bug/x"), 500, "InternalError");
        assertThat(error.get("message").asText()).doesNotContain("a bug's detail");
    }

    @Test
    void backEndRefusingOurCertificateIsAHandshakeFailure() throws Exception {
        error(gateway.get("/refuses/x"), 500, "BackendTlsHandshakeFailed");
    }

    @Test
    void noCertificateForABackEndThatRequiresOneIsAHandshakeFailure() throws Exception {
        error(gateway.get("/nocert/x"), 500, "BackendTlsHandshakeFailed");
    }

    @Test
    void missingCertificateIsUnavailable() throws Exception {
        error(gateway.get("/ghost/x"), 500, "ClientCertificateUnavailable");
        error(gateway.get("/ghostprint/x"), 500, "ClientCertificateUnavailable");
    }

    @Test
    void refusedConnectionIsAConnectionFailure() throws Exception {
        error(gateway.get("/down/x"), 500, "BackendConnectionFailure");
    }

    /**
     * The exchange fails before it asks for the body: on the thread-bound path the waiting thread must hear of it at
     * once (HttpClient's own classic-over-async adaptor waited out its whole timeout here).
     */
    @Test
    void aRequestWithABodyToARefusedConnectionIsAnsweredAtOnce() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/down/upload"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[256 * 1024])).build());
        error(response, 500, "BackendConnectionFailure");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(10));
    }

    @Test
    void noAnswerWithinTheTimeoutIs504() throws Exception {
        error(gateway.get("/slow/slow?ms=2500"), 504, "BackendTimeout");
    }

    @Test
    void statusProbeAnswersWhateverTheConfiguration() {
        HttpResponse<String> get = gateway.get(ProxyCore.STATUS_PATH);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEmpty();
        HttpResponse<String> head = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri(ProxyCore.STATUS_PATH))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        HttpResponse<String> post = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.uri(ProxyCore.STATUS_PATH))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    private static JsonNode error(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("statusCode").asInt()).isEqualTo(status);
        assertThat(body.get("reason").asText()).isEqualTo(reason);
        assertThat(UUID.fromString(body.get("requestId").asText())).isNotNull();
        assertThat(body.size()).isEqualTo(4);
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "/tmp", "/certificates", "127.0.0.1");
        return body;
    }
}
