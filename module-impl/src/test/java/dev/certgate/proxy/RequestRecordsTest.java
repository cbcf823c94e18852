package dev.certgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.observe.RequestRecord;
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

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.certgate.testsupport.TestConfig.inbound;
import static dev.certgate.testsupport.TestConfig.operation;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: every proxied request yields one record once its answer is done (what the access log, metrics and
 * certificate activity read), and every answer carries the gateway's own requestId in {@code X-Request-Id}.
 */
class RequestRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");

    private static MtlsBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        AuthenticationCertificate client = AuthenticationCertificate.byId("client");
        gateway = GatewayHarness.start(TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .api("shop", "shop", backend.url(), inbound(client),
                        operation("shop", "get-order", "GET", "/orders/{id}", inbound(client)),
                        operation("shop", "post-any", "POST", "/*", inbound(client)))
                .api("open", "open", backend.url(), inbound(client))
                .api("keyless", "keyless", backend.url(), TestConfig.policy(List.of(), List.of(), List.of()))
                .snapshot()).acceptAmbiguousUris(); // so that the gateway's own path checks meet what Jetty refuses
        gateway.key(TestConfig.key("client", CLIENT));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @BeforeEach
    void forgetEarlierRecords() {
        gateway.records().clear();
    }

    @Test
    void aForwardedRequestIsRecordedWithItsRouteCertificateStatusesAndBytes() throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/shop/orders/17?secret=k"))
                .POST(HttpRequest.BodyPublishers.ofString("twelve bytes")).build());
        assertThat(response.statusCode()).isEqualTo(200);

        RequestRecord record = onlyRecord();
        assertThat(record.requestId()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(record.method()).isEqualTo("POST");
        assertThat(record.path()).as("the path, never its query").isEqualTo("/shop/orders/17");
        assertThat(record.apiId()).isEqualTo("shop");
        assertThat(record.operationId()).isEqualTo("post-any");
        assertThat(record.status()).isEqualTo(200);
        assertThat(record.backendStatus()).isEqualTo(200);
        assertThat(record.backendNanos()).isPositive().isLessThanOrEqualTo(record.totalNanos());
        assertThat(record.certificateId()).isEqualTo("client");
        assertThat(record.certificateThumbprint()).isEqualTo(MtlsBackend.thumbprint(CLIENT.certificate()));
        assertThat(record.requestBytes()).isEqualTo(12);
        assertThat(record.responseBytes()).isEqualTo(response.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(record.failure()).isNull();
        assertThat(record.callerAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void aFailureIsRecordedWithItsReasonAndTheErrorBodyCarriesTheSameRequestId() throws Exception {
        HttpResponse<String> response = gateway.get("/nowhere/at/all");
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(response.body());

        RequestRecord record = onlyRecord();
        assertThat(record.failure()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND);
        assertThat(record.status()).isEqualTo(404);
        assertThat(record.backendStatus()).isEqualTo(-1);
        assertThat(record.apiId()).isNull();
        assertThat(response.headers().firstValue("X-Request-Id")).contains(record.requestId());
        assertThat(error.get("requestId").asText()).isEqualTo(record.requestId());
    }

    @Test
    void theBackEndsStatusAndAFailureWithoutCertificateAreRecorded() throws Exception {
        HttpResponse<String> response = gateway.get("/keyless/anything");
        RequestRecord record = onlyRecord();
        assertThat(record.apiId()).isEqualTo("keyless");
        assertThat(record.certificateId()).isNull();
        assertThat(record.failure()).as("the back end requires a client certificate").isNotNull();
        assertThat(response.statusCode()).isEqualTo(record.failure().httpStatus()).isEqualTo(record.status());
        assertThat(JSON.readTree(response.body()).get("requestId").asText()).isEqualTo(record.requestId());
    }

    @Test
    void aCallersRequestIdIsKeptAsCorrelationNeverTakenAsTheGatewaysOwn() throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/shop/orders/1"))
                .header("X-Request-Id", "callers-id-1").build());
        assertThat(response.statusCode()).isEqualTo(200);

        RequestRecord record = onlyRecord();
        assertThat(record.correlationId()).isEqualTo("callers-id-1");
        assertThat(record.requestId()).isNotEqualTo("callers-id-1").matches("[0-9a-f-]{36}");
        assertThat(response.headers().allValues("X-Request-Id")).containsExactly(record.requestId());
    }

    @Test
    void theGatewaysRequestIdReplacesOneTheBackEndAnswers() throws Exception {
        HttpResponse<String> response = gateway.get("/open/own-request-id");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("X-Request-Id")).containsExactly(onlyRecord().requestId());
    }

    @Test
    void aPathRefusedBeforeRoutingIsRecordedToo() throws Exception {
        RawHttp.Response response = RawHttp.exchange(gateway.port(), """
                GET /shop/a%5cb HTTP/1.1
                Host: localhost
                Connection: close

                """);
        assertThat(response.status()).isEqualTo(400);
        RequestRecord record = onlyRecord();
        assertThat(record.failure()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(response.headerValues("X-Request-Id")).containsExactly(record.requestId());
    }

    @Test
    void everyRequestGetsItsOwnId() throws Exception {
        gateway.get("/shop/orders/1");
        gateway.get("/shop/orders/1");
        waitForRecords(2);
        assertThat(gateway.records().get(0).requestId()).isNotEqualTo(gateway.records().get(1).requestId());
    }

    /** The record comes when the answer is done, which on the non-blocking path may follow the caller's read. */
    private static RequestRecord onlyRecord() throws InterruptedException {
        waitForRecords(1);
        assertThat(gateway.records()).hasSize(1);
        return gateway.records().get(0);
    }

    private static void waitForRecords(int count) throws InterruptedException {
        for (int i = 0; i < 200 && gateway.records().size() < count; i++) {
            Thread.sleep(10);
        }
    }
}
