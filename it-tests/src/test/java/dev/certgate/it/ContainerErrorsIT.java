package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.EchoBackend;
import dev.certgate.it.support.Reply;
import dev.certgate.it.support.TestRealm;
import dev.certgate.testsupport.RawHttp;

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
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static dev.certgate.it.support.ErrorShapes.assertArm;
import static dev.certgate.it.support.ErrorShapes.assertGateway;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors the container answers by itself, through the real WAR (issue 15, items 4 and 15): JSON in the
 * contract's shapes, never an HTML page, a stack trace or a class name; the ARM shape under /admin with the
 * Basic challenge on a 401, the gateway's shape on proxied paths. Raw sockets, because HTTP clients refuse
 * to send a malformed Authorization header or a bad chunk size.
 */
@ExtendWith(ArquillianExtension.class)
class ContainerErrorsIT {
    private static final EchoBackend BACKEND = EchoBackend.start();
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(ContainerErrorsIT.class);
        return CertgateWar.forClass(ContainerErrorsIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void configureAnApi() {
        if (!configured) {
            Reply api = AdminClient.admin(base).putJson("apis/echo", Bodies.api("echo", BACKEND.url()));
            assertThat(api.status()).as(api.toString()).isEqualTo(201);
            configured = true;
        }
    }

    @Test
    void malformedBasicCredentialsOnAdminAre401WithTheChallengeNot500() throws IOException {
        RawHttp.Response response = get("admin/status", "Authorization: Basic !!!!\n");

        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.headerValues("WWW-Authenticate")).containsExactly("Basic realm=\"certgate\"");
        JsonNode error = assertArm(response.headerLines(), response.body());
        assertThat(error.path("code").asText()).isEqualTo("Unauthorized");
        assertThat(error.path("message").asText()).contains("Basic").contains("base64");
    }

    @Test
    void a401WithoutOrWithWrongCredentialsIsArmJsonWithTheChallenge() throws IOException {
        RawHttp.Response anonymous = get("admin/status", "");
        RawHttp.Response wrongPassword = get("admin/status", authorization(TestRealm.USER, "not-the-password"));

        for (RawHttp.Response refused : new RawHttp.Response[] {anonymous, wrongPassword}) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.headerValues("WWW-Authenticate")).containsExactly("Basic realm=\"certgate\"");
            assertThat(assertArm(refused.headerLines(), refused.body()).path("code").asText())
                    .isEqualTo("Unauthorized");
        }
        assertThat(assertArm(anonymous.headerLines(), anonymous.body()).path("message").asText())
                .contains("certgate-admin").contains("Basic");
        assertThat(assertArm(wrongPassword.headerLines(), wrongPassword.body()).path("message").asText())
                .contains("not accepted");
    }

    @Test
    void aUserWithoutTheAdminRoleGets403InArmShape() throws IOException {
        RawHttp.Response response = get("admin/status", authorization(TestRealm.OTHER_USER, TestRealm.otherPassword()));

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        JsonNode error = assertArm(response.headerLines(), response.body());
        assertThat(error.path("code").asText()).isEqualTo("Forbidden");
        assertThat(error.path("message").asText()).contains("certgate-admin");
    }

    @Test
    void aBadChunkSizeOnAProxiedPostIsAGatewayErrorWithoutInternals() throws IOException {
        RawHttp.Response response = RawHttp.exchange(base.getPort(), """
                POST %secho/upload HTTP/1.1
                Host: localhost
                Content-Type: text/plain
                Transfer-Encoding: chunked
                Connection: close

                ZZZ
                hello
                0

                """.formatted(base.getPath()));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode error = assertGateway(400, response.headerLines(), response.body());
        assertThat(error.path("reason").asText()).isEqualTo("BadRequest");
    }

    @Test
    void adminRefusalsUseTheArmShape() throws IOException {
        String admin = authorization(TestRealm.USER, TestRealm.password());
        RawHttp.Response notFound = get("admin/nothing-here", admin);
        RawHttp.Response errorPageItself = get("admin/error-page", admin);
        RawHttp.Response notAllowed = RawHttp.exchange(base.getPort(), "POST " + base.getPath()
                + "admin/status HTTP/1.1\nHost: localhost\n" + admin + "Content-Length: 0\nConnection: close\n\n");
        RawHttp.Response tooLarge = AdminClient.admin(base).announcePut("backends/big", "application/json", 2_000_000);

        for (RawHttp.Response response : new RawHttp.Response[] {notFound, errorPageItself}) {
            assertThat(response.status()).as(response.body()).isEqualTo(404);
            assertThat(assertArm(response.headerLines(), response.body()).path("code").asText())
                    .isEqualTo("ResourceNotFound");
        }
        assertThat(notAllowed.status()).as(notAllowed.body()).isEqualTo(405);
        assertThat(assertArm(notAllowed.headerLines(), notAllowed.body()).path("code").asText())
                .isEqualTo("MethodNotAllowed");
        assertThat(notAllowed.headerValues("Allow")).isNotEmpty();
        assertThat(tooLarge.status()).as(tooLarge.body()).isEqualTo(413);
        assertThat(assertArm(tooLarge.headerLines(), tooLarge.body()).path("code").asText())
                .isEqualTo("PayloadTooLarge");
    }

    @Test
    void anAdminBodyThatEndsEarlyOrIsBadlyChunkedIs400NotAnInternalErrorAndChangesNothing() throws IOException {
        String head = "PUT " + base.getPath() + "admin/backends/%s HTTP/1.1\nHost: localhost\n"
                + authorization(TestRealm.USER, TestRealm.password()) + "Content-Type: application/json\n";
        String body = "{\"properties\": {\"url\": \"https://early.example\"}}";
        RawHttp.Response endedEarly = RawHttp.exchangeThenStopSending(base.getPort(),
                head.formatted("early") + "Content-Length: " + (body.length() + 50) + "\n\n", body);
        RawHttp.Response badChunks = RawHttp.exchange(base.getPort(), head.formatted("chunks")
                + "Transfer-Encoding: chunked\nConnection: close\n\nZZZ\n" + body + "\n0\n\n");

        for (RawHttp.Response refused : List.of(endedEarly, badChunks)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            JsonNode error = assertArm(refused.headerLines(), refused.body());
            assertThat(error.path("code").asText()).isEqualTo("BadRequest");
            assertThat(error.path("message").asText()).doesNotContain("Exception");
        }
        assertThat(AdminClient.admin(base).get("backends/early").status()).isEqualTo(404);
        assertThat(AdminClient.admin(base).get("backends/chunks").status()).isEqualTo(404);
    }

    @Test
    void aProxiedPathWithoutAnApiIsAGatewayError() throws IOException {
        RawHttp.Response response = get("no-such-api/x", "");

        assertThat(response.status()).isEqualTo(404);
        assertThat(assertGateway(404, response.headerLines(), response.body()).path("reason").asText())
                .isEqualTo("ResourceNotFound");
    }

    private RawHttp.Response get(String path, String headers) throws IOException {
        return RawHttp.exchange(base.getPort(), "GET " + base.getPath() + path + " HTTP/1.1\nHost: localhost\n"
                + headers + "Connection: close\n\n");
    }

    private static String authorization(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\n";
    }
}
