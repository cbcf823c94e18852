package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Pem;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
import dev.certgate.it.support.ServerLog;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of CONTRACT §4's error table through the real WAR: status, reason, a requestId that the log line
 * with the cause carries too, and nothing else (no stack trace, path or secret). Also the TLS settings that
 * make the validation failures go away: an uploaded authority, and the backend's {@code tls} flags.
 */
@ExtendWith(ArquillianExtension.class)
class ErrorTableIT {
    private static final TestPki.Issued CLIENT = TestCerts.client("error-table");
    private static final TestPki.Issued PRIVATE_CA = TestPki.selfSigned(
            TestPki.spec().subject("CN=Certgate IT Private Server CA").ca().ec());
    private static final TestPki.Issued OTHER_CLIENT_CA = TestPki.selfSigned(
            TestPki.spec().subject("CN=Certgate IT Client CA the gateway has no certificate of").ca().ec());

    /** Trusted chain (the test server CA is uploaded), requires our client CA. */
    private static final MtlsBackend TRUSTED = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    /** Chain from a CA only an authority upload makes trusted. */
    private static final MtlsBackend PRIVATE = MtlsBackend.start(TestCerts.server(PRIVATE_CA),
            TestCerts.CLIENT_CA.certificate());
    /** Trusted chain for another host name and address only. */
    private static final MtlsBackend WRONG_NAME = MtlsBackend.start(TestPki.issue(TestCerts.SERVER_CA,
            TestPki.spec().subject("CN=elsewhere.example").dns("elsewhere.example").ip("10.1.2.3").serverAuth().ec()),
            TestCerts.CLIENT_CA.certificate());
    /** Trusted chain, but accepts only client certificates of a CA ours do not come from. */
    private static final MtlsBackend STRANGER = MtlsBackend.start(TestCerts.server(), OTHER_CLIENT_CA.certificate());
    /** Self-signed, requires our client CA. */
    private static final MtlsBackend SELF_SIGNED = MtlsBackend.start(TestPki.selfSigned(
            TestPki.spec().subject("CN=localhost").dns("localhost").serverAuth().ec()), TestCerts.CLIENT_CA.certificate());

    private static Path home;
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(ErrorTableIT.class);
        return CertgateWar.forClass(ErrorTableIT.class);
    }

    @AfterAll
    static void stopBackends() {
        for (MtlsBackend backend : List.of(TRUSTED, PRIVATE, WRONG_NAME, STRANGER, SELF_SIGNED)) {
            backend.close();
        }
        ServerLog.assertNoSecrets();
    }

    @BeforeEach
    void trustTheTestServerCaAndUploadTheClientCertificate() {
        if (!configured) {
            setup().trustTestServersAndStoreClient(CLIENT);
            configured = true;
        }
    }

    private GatewaySetup setup() {
        return new GatewaySetup(base);
    }

    private Caller caller() {
        return new Caller(base);
    }

    /**
     * Issue 18: a success is one access log line too, with route, statuses, bytes and the certificate presented; the
     * caller's X-Request-Id is its correlation id, never the gateway's id.
     */
    @Test
    void aSuccessfulCallIsOneAccessLogLineAndTheCallersRequestIdOnlyItsCorrelationId() {
        setup().apiPresenting("logged", "logged", TRUSTED.url(), "client");
        HttpResponse<String> response = caller().send(caller().request("logged/orders/5?key=secret-query")
                .header("X-Request-Id", "callers-correlation-id").build());
        assertThat(response.statusCode()).isEqualTo(200);

        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(requestId).isNotEqualTo("callers-correlation-id");
        JsonNode line = accessLogLine(requestId);
        assertThat(line.path("correlationId").asText()).isEqualTo("callers-correlation-id");
        assertThat(line.path("method").asText()).isEqualTo("GET");
        assertThat(line.path("path").asText()).isEqualTo("/logged/orders/5");
        assertThat(line.path("api").asText()).isEqualTo("logged");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("backendStatus").asInt()).isEqualTo(200);
        assertThat(line.path("responseBytes").asLong()).isEqualTo(response.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(line.path("certificateId").asText()).isEqualTo("client");
        assertThat(line.path("certificateThumbprint").asText()).isEqualTo(Pem.sha1(CLIENT.certificate()));
        assertThat(line.path("reason").isNull()).isTrue();
        assertThat(line.path("backendMs").asDouble()).isLessThanOrEqualTo(line.path("durationMs").asDouble());
        assertThat(ServerLogFile.text()).as("the query, which may carry keys, is never logged")
                .doesNotContain("secret-query");
    }

    @Test
    void noApiMatchingIs404ResourceNotFound() {
        HttpResponse<String> response = caller().get("no-api-here/orders/1");

        assertError(response, 404, "ResourceNotFound");
        assertThat(Caller.json(response.body()).path("message").asText()).isEqualTo("Resource not found");
    }

    @Test
    void anApiWithOperationsNoneOfWhichMatchesIs404ResourceNotFound() {
        setup().apiPresenting("ops", "ops", TRUSTED.url(), "client");
        setup().operation("ops", "get-order", "GET", "/orders/{id}");
        assertThat(caller().echo("ops/orders/7").path("path").asText()).isEqualTo("/orders/7");

        assertError(caller().send(caller().request("ops/orders/7")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 404, "ResourceNotFound");
        assertError(caller().get("ops/customers/7"), 404, "ResourceNotFound");
    }

    @Test
    void aPrivateCaChainFailsValidationUntilTheCaIsUploadedAsAnAuthorityAndAgainOnceItIsDeleted() {
        setup().apiPresenting("private", "private", PRIVATE.url(), "client");

        HttpResponse<String> before = caller().get("private/before");
        String requestId = assertLoggedError(before, 500, "BackendTlsValidationFailed");
        // Which check failed, and the issuer nobody trusts: in the answer and in one line of the log.
        String message = Caller.json(before.body()).path("message").asText();
        assertThat(message).contains("chain is not trusted", "CN=Certgate IT Private Server CA");
        assertOneLineOfCause(requestId, message);

        setup().authority("private-ca", PRIVATE_CA.certificate());
        JsonNode echo = caller().echo("private/trusted");
        assertThat(echo.path("clientThumbprint").asText()).isEqualTo(Pem.sha1(CLIENT.certificate()));

        setup().deleteAuthority("private-ca");
        assertLoggedError(caller().get("private/after"), 500, "BackendTlsValidationFailed");
    }

    @Test
    void aHostNameTheBackEndsCertificateDoesNotNameFailsValidationUnlessTheBackendSkipsTheNameCheck() {
        setup().apiPresenting("wrong-name", "wrong-name", WRONG_NAME.url(), "client");
        setup().backend("name-unchecked", Map.of("url", WRONG_NAME.url(), "protocol", "http",
                "tls", Map.of("validateCertificateName", false)));
        setup().api("name-unchecked", "name-unchecked", "https://unused.invalid");
        setup().inbound("name-unchecked", "<set-backend-service backend-id=\"name-unchecked\" />"
                + "<authentication-certificate certificate-id=\"client\" />");

        HttpResponse<String> wrongName = caller().get("wrong-name/x");
        String requestId = assertLoggedError(wrongName, 500, "BackendTlsValidationFailed");
        // Which check failed, the host, and every name the certificate holds (DNS and IP alike).
        String message = Caller.json(wrongName.body()).path("message").asText();
        assertThat(message).contains("does not name the host \"localhost\"", "elsewhere.example", "10.1.2.3");
        assertOneLineOfCause(requestId, message);
        assertThat(caller().echo("name-unchecked/x").path("clientThumbprint").asText())
                .isEqualTo(Pem.sha1(CLIENT.certificate()));
    }

    @Test
    void aSelfSignedBackEndFailsValidationUnlessTheBackendTurnsChainValidationOff() {
        setup().apiPresenting("self-signed-checked", "self-signed-checked", SELF_SIGNED.url(), "client");
        setup().backend("self-signed", Map.of("url", SELF_SIGNED.url(), "protocol", "http",
                "tls", Map.of("validateCertificateChain", false),
                "credentials", Map.of("certificateIds", List.of("/certificates/client"))));
        setup().api("self-signed", "self-signed", "https://unused.invalid");
        setup().inbound("self-signed", "<set-backend-service backend-id=\"self-signed\" />");

        assertLoggedError(caller().get("self-signed-checked/x"), 500, "BackendTlsValidationFailed");
        JsonNode echo = caller().echo("self-signed/x");
        assertThat(echo.path("path").asText()).isEqualTo("/x");
        assertThat(echo.path("clientThumbprint").asText()).isEqualTo(Pem.sha1(CLIENT.certificate()));
    }

    @Test
    void aBackEndRefusingOurCertificateOrWantingOneIsBackendTlsHandshakeFailed() {
        setup().apiPresenting("stranger", "stranger", STRANGER.url(), "client");
        setup().api("no-certificate", "no-certificate", TRUSTED.url());

        assertLoggedError(caller().get("stranger/x"), 500, "BackendTlsHandshakeFailed");
        assertLoggedError(caller().get("no-certificate/x"), 500, "BackendTlsHandshakeFailed");
    }

    @Test
    void aStoredCertificateWhoseKeyCannotBeReadIsClientCertificateUnavailable() throws IOException {
        // Files put in place by hand, the key store one that never opened: the gateway has no key of it to fall
        // back on (a key read before a key store broke would be presented from memory until a restart).
        setup().certificate("damaged-source", TestCerts.client("damaged"));
        Files.write(home.resolve("secrets/certificates/damaged.p12"), new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});
        Files.createDirectories(home.resolve("config/certificates/damaged"));
        Files.copy(home.resolve("config/certificates/damaged-source/certificateInformation.json"),
                home.resolve("config/certificates/damaged/certificateInformation.json"));
        setup().apiPresenting("damaged", "damaged", TRUSTED.url(), "damaged");

        assertLoggedError(caller().get("damaged/never-sent"), 500, "ClientCertificateUnavailable");
        assertThat(TRUSTED.requests()).noneMatch(seen -> seen.path().equals("/never-sent"));
    }

    @Test
    void aBackEndThatCannotBeReachedIsBackendConnectionFailure() {
        setup().apiPresenting("refused", "refused", "https://127.0.0.1:" + closedPort(), "client");
        setup().apiPresenting("unknown-host", "unknown-host", "https://no-such-host.invalid", "client");

        assertLoggedError(caller().get("refused/x"), 500, "BackendConnectionFailure");
        assertLoggedError(caller().get("unknown-host/x"), 500, "BackendConnectionFailure");
    }

    @Test
    void noAnswerWithinTheForwardRequestTimeoutIs504BackendTimeout() {
        setup().api("impatient", "impatient", TRUSTED.url());
        setup().policy("impatient", "<policies><inbound><base />"
                + "<authentication-certificate certificate-id=\"client\" /></inbound>"
                + "<backend><forward-request timeout=\"1\" /></backend></policies>");

        assertLoggedError(caller().get("impatient/slow?ms=3000"), 504, "BackendTimeout");
    }

    @Test
    void aBackEndThatNeverFinishesTheTlsHandshakeIs504BackendTimeoutAfterTheForwardRequestTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> holdConnections(silent), "silent-backend");
            acceptor.setDaemon(true);
            acceptor.start();
            setup().api("silent", "silent", "https://localhost:" + silent.getLocalPort());
            setup().policy("silent", "<policies><inbound><base /></inbound>"
                    + "<backend><forward-request timeout=\"2\" /></backend></policies>");

            long start = System.nanoTime();
            HttpResponse<String> response = caller().get("silent/x");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertLoggedError(response, 504, "BackendTimeout");
            // The pool's own limit for connecting is 10 s: the request's 2 s must be what ended the wait.
            assertThat(elapsed).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));
        }
    }

    @Test
    void anApiWithoutABackEndIsAConfigurationErrorThatNamesTheApiAndWhatToSet() {
        Reply created = setup().admin().putJson("apis/no-backend", Map.of("properties", Map.of(
                "displayName", "No back end", "path", "no-backend", "protocols", List.of("https"))));
        assertThat(created.status()).as(created.toString()).isIn(200, 201);

        HttpResponse<String> response = caller().get("no-backend/x");

        assertLoggedError(response, 500, "ConfigurationError");
        assertThat(Caller.json(response.body()).path("message").asText())
                .contains("\"no-backend\"", "serviceUrl", "set-backend-service");
    }

    /** Accepts TCP connections and never says a word: a TLS handshake with it never finishes. */
    private static void holdConnections(ServerSocket server) {
        List<Socket> held = new ArrayList<>();
        try {
            while (true) {
                held.add(server.accept());
            }
        } catch (IOException e) {
            held.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            });
        }
    }

    /** The error, and the server's log line with its cause under the same requestId; answers the requestId. */
    private static String assertLoggedError(HttpResponse<String> response, int status, String reason) {
        String requestId = assertError(response, status, reason);
        assertThat(ServerLogFile.text()).as("the log line with the cause carries requestId " + requestId)
                .contains(requestId);
        return requestId;
    }

    /** One warning line under the requestId names the cause (with {@code mentions}); no stack trace follows it. */
    private static void assertOneLineOfCause(String requestId, String... mentions) {
        List<String> lines = ServerLogFile.text().lines().toList();
        List<Integer> warnings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(requestId) && lines.get(i).contains(" WARN ")) {
                warnings.add(i);
            }
        }
        assertThat(warnings).as("warnings under requestId " + requestId).hasSize(1);
        int at = warnings.get(0);
        assertThat(lines.get(at)).contains(mentions);
        if (at + 1 < lines.size()) {
            assertThat(lines.get(at + 1)).as("the line after the warning starts another log entry, no stack trace")
                    .matches("\\d+ \\[.*");
        }
    }

    /** APIM's error shape plus reason and requestId, and nothing that tells how the gateway is built. */
    private static String assertError(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = Caller.json(response.body());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("statusCode", "message", "reason", "requestId");
        assertThat(body.path("statusCode").asInt()).isEqualTo(status);
        assertThat(body.path("reason").asText()).isEqualTo(reason);
        assertThat(body.path("message").asText()).isNotBlank();
        String requestId = body.path("requestId").asText();
        assertThat(UUID.fromString(requestId)).isNotNull();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", ".java", "/work/", home.toString(),
                "PRIVATE KEY", "secrets", ".p12");
        // Issue 18: the same id in X-Request-Id, and one access log line for the request naming the reason.
        assertThat(response.headers().allValues("X-Request-Id")).containsExactly(requestId);
        JsonNode line = accessLogLine(requestId);
        assertThat(line.path("status").asInt()).isEqualTo(status);
        assertThat(line.path("reason").asText()).isEqualTo(reason);
        assertThat(line.path("method").asText()).isEqualTo(response.request().method());
        assertThat(line.path("durationMs").asDouble()).isGreaterThanOrEqualTo(0);
        return requestId;
    }

    /** The access log line ({@code certgate.access}, JSON) of the request; it is written as its answer ends. */
    private static JsonNode accessLogLine(String requestId) {
        String marker = "\"requestId\":\"" + requestId + "\"";
        // Whole lines only: the server may be writing the line while the file is read.
        List<String> lines = Poll.until(Duration.ofSeconds(5), () -> ServerLogFile.text().lines()
                        .filter(l -> l.contains(" certgate.access - ") && l.contains(marker) && l.endsWith("}")).toList(),
                found -> !found.isEmpty());
        assertThat(lines).as("access log lines of requestId " + requestId).hasSize(1);
        String line = lines.get(0);
        return Caller.json(line.substring(line.indexOf('{')));
    }


    /** A loopback port nothing listens on (it was free a moment ago). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
