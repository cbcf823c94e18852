package dev.certgate.it.launcher;

import dev.certgate.testsupport.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static dev.certgate.it.support.ErrorShapes.assertArm;
import static dev.certgate.it.support.ErrorShapes.assertGateway;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar certgate.war} refusing what Jetty refuses by itself (issue 15, items 4, 8 and 15): JSON in
 * the contract's shapes for requests that never reach the web application and for the admin security
 * constraint, an admin password that looks like Jetty's encoded forms taken literally, failed logins logged
 * without the password and slowed per address. Each test calls from its own loopback address (127.0.0.x), so
 * the failures of one never slow another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherErrorsIT {
    /** Jetty's obfuscated form of "password": the launcher must not read it that way. */
    private static final String PASSWORD = "OBF:1v2j1uum1xtv1zej1zer1xtn1uvk1v1v";

    @TempDir
    static Path directory;

    private ConsoleProcess gateway;
    private int port;

    @BeforeAll
    void start() throws Exception {
        gateway = LaunchedGateway.start(directory, List.of(), Map.of("CERTGATE_ADMIN_PASSWORD", PASSWORD));
        port = gateway.awaitReady().getPort();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aPasswordThatLooksObfuscatedIsTakenLiterally() throws IOException {
        InetAddress from = loopback(11);

        RawHttp.Response literal = get(from, "/admin/status", basic("admin", PASSWORD));
        RawHttp.Response deobfuscated = get(from, "/admin/status", basic("admin", "password"));

        assertThat(literal.status()).as(literal.body()).isEqualTo(200);
        assertThat(deobfuscated.status()).as(deobfuscated.body()).isEqualTo(401);
    }

    @Test
    void whatNeverReachesTheWebApplicationIsAnsweredInJson() throws IOException {
        InetAddress from = loopback(12);
        String longPath = "/" + "a".repeat(20_000);
        String bigHeader = "X-Big: " + "b".repeat(20_000) + "\n";

        RawHttp.Response uriTooLong = get(from, longPath, "");
        RawHttp.Response adminUriTooLong = get(from, "/admin" + longPath, "");
        RawHttp.Response headersTooLarge = get(from, "/some-api/x", bigHeader);
        RawHttp.Response adminHeadersTooLarge = get(from, "/admin/status", bigHeader);
        RawHttp.Response badRequestLine = RawHttp.exchange(from, port, "GARBAGE\n\n");
        RawHttp.Response badUri = get(from, "/%zz", "");

        assertThat(uriTooLong.status()).isEqualTo(414);
        assertThat(assertGateway(414, uriTooLong.headerLines(), uriTooLong.body()).path("reason").asText())
                .isEqualTo("UriTooLong");
        // The server stops before it has read a path, so the shape cannot follow it (README, Errors).
        assertThat(adminUriTooLong.status()).isEqualTo(414);
        assertThat(assertGateway(414, adminUriTooLong.headerLines(), adminUriTooLong.body()).path("reason").asText())
                .isEqualTo("UriTooLong");
        assertThat(headersTooLarge.status()).isEqualTo(431);
        assertThat(assertGateway(431, headersTooLarge.headerLines(), headersTooLarge.body()).path("reason").asText())
                .isEqualTo("RequestHeaderFieldsTooLarge");
        assertThat(adminHeadersTooLarge.status()).isEqualTo(431);
        assertThat(assertArm(adminHeadersTooLarge.headerLines(), adminHeadersTooLarge.body()).path("code").asText())
                .isEqualTo("RequestHeaderFieldsTooLarge");
        for (RawHttp.Response bad : List.of(badRequestLine, badUri)) {
            assertThat(bad.status()).as(bad.body()).isEqualTo(400);
            assertThat(assertGateway(400, bad.headerLines(), bad.body()).path("reason").asText())
                    .isEqualTo("BadRequest");
        }
        // As on every proxied answer, X-Request-Id names the id the body gives.
        for (RawHttp.Response gatewayShaped : List.of(uriTooLong, adminUriTooLong, headersTooLarge, badRequestLine, badUri)) {
            String requestId = assertGateway(gatewayShaped.status(), gatewayShaped.headerLines(), gatewayShaped.body())
                    .path("requestId").asText();
            assertThat(gatewayShaped.headerValues("X-Request-Id")).as(gatewayShaped.body()).containsExactly(requestId);
        }
    }

    @Test
    void anEncodedSlashInAPathIsRefusedNamingIt() throws IOException {
        InetAddress from = loopback(19);

        RawHttp.Response adminId = get(from, "/admin/certificates/client%2Fa", basic("admin", PASSWORD));
        RawHttp.Response apiPath = get(from, "/orders/a%2Fb", "");

        assertThat(adminId.status()).as(adminId.body()).isEqualTo(400);
        assertThat(message(adminId)).contains("%2F").contains("'/'").doesNotContain("malformed");
        assertThat(apiPath.status()).as(apiPath.body()).isEqualTo(400);
        JsonNode gateway = assertGateway(400, apiPath.headerLines(), apiPath.body());
        assertThat(gateway.path("reason").asText()).isEqualTo("BadRequest");
        assertThat(gateway.path("message").asText()).contains("%2F");
    }

    @Test
    void anAdminPathWrittenWithEscapesOrDotSegmentsIsAnsweredInTheAdminShape() throws IOException {
        InetAddress from = loopback(18);

        for (String path : List.of("/%61dmin/status", "/x/../admin/status", "/./admin/status")) {
            RawHttp.Response anonymous = get(from, path, "");

            assertThat(anonymous.status()).as(path + ": " + anonymous.body()).isEqualTo(401);
            assertThat(assertArm(anonymous.headerLines(), anonymous.body()).path("code").asText())
                    .as(path).isEqualTo("Unauthorized");
        }
    }

    @Test
    void aBadChunkSizeOnAProxiedPutIsAGatewayErrorWithoutInternals() throws IOException {
        InetAddress from = loopback(17);
        HttpServer backEnd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backEnd.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        backEnd.start();
        try {
            String api = "{\"properties\": {\"displayName\": \"Chunks\", \"path\": \"chunks\", \"serviceUrl\": "
                    + "\"http://127.0.0.1:" + backEnd.getAddress().getPort() + "\", \"protocols\": [\"http\"]}}";
            RawHttp.Response created = RawHttp.exchange(from, port, "PUT /admin/apis/chunks HTTP/1.1\nHost: localhost\n"
                    + basic("admin", PASSWORD) + "Content-Type: application/json\nContent-Length: "
                    + api.length() + "\nConnection: close\n\n" + api);
            assertThat(created.status()).as(created.body()).isEqualTo(201);

            RawHttp.Response response = RawHttp.exchange(from, port, "PUT /chunks/upload HTTP/1.1\nHost: localhost\n"
                    + "Content-Type: text/plain\nTransfer-Encoding: chunked\nConnection: close\n\nZZZ\nhello\n0\n\n");

            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(assertGateway(400, response.headerLines(), response.body()).path("reason").asText())
                    .isEqualTo("BadRequest");
        } finally {
            backEnd.stop(0);
        }
    }

    @Test
    void theAdminSecurityConstraintAnswersArmJsonWithTheChallengeForEveryMethod() throws IOException {
        InetAddress from = loopback(13);

        RawHttp.Response malformed = get(from, "/admin/status", "Authorization: Basic !!!!\n");
        RawHttp.Response anonymousPut = RawHttp.exchange(from, port, "PUT /admin/backends/b HTTP/1.1\nHost: localhost\n"
                + "Content-Type: application/json\nContent-Length: 2\nConnection: close\n\n{}");
        RawHttp.Response wrongPassword = get(from, "/admin/status", basic("admin", "wrong"));

        for (RawHttp.Response refused : List.of(malformed, anonymousPut, wrongPassword)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.headerValues("WWW-Authenticate")).containsExactly("Basic realm=\"certgate\"");
            assertThat(assertArm(refused.headerLines(), refused.body()).path("code").asText())
                    .isEqualTo("Unauthorized");
        }
        assertThat(message(malformed)).contains("base64 of user:password");
        assertThat(message(anonymousPut)).contains("certgate-admin");
        assertThat(message(wrongPassword)).contains("not accepted");
        assertThat(directory.resolve("home/config/backends/b")).doesNotExist();
    }

    @Test
    void aFailedLoginIsLoggedWithUserAndAddressButNeverThePassword() throws Exception {
        String user = "intruder-" + UUID.randomUUID();
        String guess = "guess-" + UUID.randomUUID();

        RawHttp.Response refused = get(loopback(14), "/admin/status", basic(user, guess));

        assertThat(refused.status()).isEqualTo(401);
        String line = gateway.awaitLine(Pattern.compile("Admin login failed for user '" + user + "'.*"),
                Duration.ofSeconds(10)).group();
        assertThat(line).contains("from 127.0.0.14");
        assertThat(gateway.output()).doesNotContain(guess).doesNotContain(PASSWORD);
    }

    @Test
    void repeatedFailuresFromOneAddressAreSlowedAndOthersAreNot() throws Exception {
        InetAddress attacker = loopback(15);
        List<Long> millis = new ArrayList<>();
        for (int attempt = 0; attempt < 7; attempt++) {
            long start = System.nanoTime();
            assertThat(get(attacker, "/admin/status", basic("admin", "guess-" + attempt)).status()).isEqualTo(401);
            millis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
        // Three free failures, then 250 ms, 500 ms, 1 s and 2 s before each check: lower bounds only, a loaded
        // machine can only make them longer; the upper bound shows no thread is parked for long.
        assertThat(millis.get(3)).as("4th attempt, ms: " + millis).isGreaterThanOrEqualTo(200);
        assertThat(millis.get(5)).as("6th attempt, ms: " + millis).isGreaterThanOrEqualTo(800);
        assertThat(millis.get(6)).as("7th attempt, ms: " + millis).isGreaterThanOrEqualTo(1_600).isLessThan(10_000);
        assertThat(millis.get(6) - millis.get(3)).as("growth, ms: " + millis).isGreaterThanOrEqualTo(1_000);

        long otherStart = System.nanoTime();
        assertThat(get(loopback(16), "/admin/status", basic("admin", "other-guess")).status()).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - otherStart).toMillis()).as("another address waits")
                .isLessThan(1_500);

        // While the address is held off, parallel attempts are not checked in parallel: of three sent at once
        // with the right password, one is checked (after the wait) and the others are refused unchecked.
        List<CompletableFuture<Integer>> parallel = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parallel.add(CompletableFuture.supplyAsync(() -> status(attacker, basic("admin", PASSWORD))));
        }
        List<Integer> statuses = parallel.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).containsExactlyInAnyOrder(200, 401, 401);

        // The right password started the address afresh.
        long afterSuccess = System.nanoTime();
        assertThat(get(attacker, "/admin/status", basic("admin", "guess-again")).status()).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - afterSuccess).toMillis()).isLessThan(1_500);
    }

    private int status(InetAddress from, String authorization) {
        try {
            return get(from, "/admin/status", authorization).status();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private RawHttp.Response get(InetAddress from, String path, String headers) throws IOException {
        return RawHttp.exchange(from, port, "GET " + path + " HTTP/1.1\nHost: localhost\n" + headers
                + "Connection: close\n\n");
    }

    private static String message(RawHttp.Response response) {
        JsonNode error = assertArm(response.headerLines(), response.body());
        return error.path("message").asText();
    }

    private static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\n";
    }

    private static InetAddress loopback(int last) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }
}
