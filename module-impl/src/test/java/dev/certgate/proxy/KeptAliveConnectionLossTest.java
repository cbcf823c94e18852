package dev.certgate.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A back end that closes a kept-alive connection just as the gateway reuses it (its idle timeout, its limit of idle
 * connections): a bodiless idempotent request is sent again on a new connection, once; anything else is answered
 * with the failure, and sent once.
 */
class KeptAliveConnectionLossTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");

    private MtlsBackend backend;
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        gateway = GatewayHarness.start(TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .api("drops", "drops", backend.url(), inbound(AuthenticationCertificate.byId("client")))
                .snapshot());
        gateway.key(TestConfig.key("client", CLIENT));
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void aBodilessIdempotentRequestThatAKeptAliveConnectionLostIsSentAgainOnANewConnection() {
        assertThat(gateway.get("/drops/drop?after=1").statusCode()).isEqualTo(200); // opens the connection

        HttpResponse<String> response = gateway.get("/drops/drop?after=1"); // reuses it: closed unanswered

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(backend.requests()).hasSize(3);
        assertThat(backend.handshakes()).isEqualTo(2);
    }

    @Test
    void aRequestWhoseAnswerHadBegunIsNotSentTwice() throws Exception {
        // The head and 10 of 100 bytes arrive, then the connection closes. A body that small is held until it is
        // whole, so nothing had reached the caller: it gets the error table's answer.
        failsAndIsSentOnceOnAReusedConnection(HttpRequest.newBuilder(gateway.uri("/drops/drop?after=1&midBody")));
    }

    @Test
    void aRequestWithABodyIsNotSentTwice() throws Exception {
        failsAndIsSentOnceOnAReusedConnection(HttpRequest.newBuilder(gateway.uri("/drops/drop?after=1"))
                .PUT(HttpRequest.BodyPublishers.ofString("once only")));
    }

    @Test
    void aRequestThatIsNotIdempotentIsNotSentTwice() throws Exception {
        failsAndIsSentOnceOnAReusedConnection(HttpRequest.newBuilder(gateway.uri("/drops/drop?after=1"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void aNewConnectionClosedUnansweredIsAFailingBackEndAndNotRetried() throws Exception {
        HttpResponse<String> response = gateway.get("/drops/drop?after=0");

        // A new TLS 1.3 connection closed before the answer is how a back end refuses a client certificate.
        ErrorCode code = ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code.httpStatus());
        assertThat(JSON.readTree(response.body()).get("reason").asText()).isEqualTo(code.code());
        assertThat(backend.requests()).hasSize(1);
    }

    /** Opens a connection with one request, then sends {@code second} on it, which the back end drops. */
    private void failsAndIsSentOnceOnAReusedConnection(HttpRequest.Builder second) throws Exception {
        assertThat(gateway.get("/drops/drop?after=1").statusCode()).isEqualTo(200);

        failedToConnect(gateway.send(second.build()));
        assertThat(backend.requests()).hasSize(2);
    }

    private static void failedToConnect(HttpResponse<String> response) throws Exception {
        ErrorCode code = ErrorCode.BACKEND_CONNECTION_FAILURE;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code.httpStatus());
        assertThat(JSON.readTree(response.body()).get("reason").asText()).isEqualTo(code.code());
    }
}
