package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Reply;
import dev.certgate.it.support.Secrets;
import dev.certgate.it.support.ServerLog;
import dev.certgate.it.support.TestRealm;
import dev.certgate.it.support.TrickledAdminBody;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.certgate.it.support.ErrorShapes.assertArm;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin refusals that tell what is wrong (issue 15, items 8 and 15): an id with a path parameter is refused
 * before anything is written, a 415 names the media types the call takes, a failed login is logged with
 * the user and the address, never the password, and a body trickled in gets 408 at the body deadline.
 */
@ExtendWith(ArquillianExtension.class)
class AdminRefusalsIT {
    private static final int BODY_DEADLINE_SECONDS = 3;
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(AdminRefusalsIT.class);
        // Read when the deployment starts; cleared once this class is done.
        System.setProperty("certgate.requestBodyTimeout", String.valueOf(BODY_DEADLINE_SECONDS));
        return CertgateWar.forClass(AdminRefusalsIT.class);
    }

    @AfterAll
    static void clearBodyDeadline() {
        System.clearProperty("certgate.requestBodyTimeout");
    }

    private AdminClient admin() {
        return AdminClient.admin(base);
    }

    @Test
    void anIdWithAPathParameterIsRefusedAndNothingIsWritten() {
        Reply backend = admin().putJson("backends/q;y", Bodies.backend("https://q.example"));
        Reply api = admin().putJson("apis/a;b=c", Bodies.api("ab", "https://ab.example"));
        Reply operation = admin().putJson("apis/real/operations/op;x", Bodies.operation("GET", "/x"));
        Reply read = admin().get("backends/q;y");

        for (Reply refused : List.of(backend, api, operation, read)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("ValidationError");
        }
        assertThat(backend.json().path("error").path("message").asText()).contains("'q;y'");
        assertThat(api.json().path("error").path("message").asText()).contains("'a;b=c'");
        assertThat(home.resolve("config/backends/q")).doesNotExist();
        assertThat(home.resolve("config/apis/a")).doesNotExist();
        assertThat(home.resolve("config/apis/real")).doesNotExist();
    }

    @Test
    void aMissingEntityAnswersOne404ShapeToReadsAndDeletesWhateverItsKind() {
        Map<String, String> kinds = Map.of("certificates", "Certificate", "authorities", "Authority",
                "backends", "Backend", "apis", "API", "namedValues", "Named value");

        kinds.forEach((collection, kind) -> {
            for (Reply missing : List.of(admin().get(collection + "/never-made"),
                    admin().delete(collection + "/never-made"))) {
                assertThat(missing.status()).as(collection + " " + missing).isEqualTo(404);
                JsonNode error = assertArm(List.of("Content-Type: " + missing.header("Content-Type").orElse("")),
                        missing.body());
                assertThat(error.path("code").asText()).isEqualTo("ResourceNotFound");
                assertThat(error.path("message").asText()).isEqualTo(kind + " 'never-made' not found");
                assertThat(error.path("details")).as(collection + " " + missing).singleElement().satisfies(d -> {
                    assertThat(d.path("code").asText()).isEqualTo("NotFound");
                    assertThat(d.path("target").asText()).isEqualTo("never-made");
                });
            }
        });
    }

    @Test
    void unsupportedMediaTypeNamesWhatTheCallAccepts() {
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);

        Reply backend = admin().put("backends/b1", "text/plain", text);
        Reply certificate = admin().put("certificates/c1", "text/plain", text);
        Reply policy = admin().put("policies/policy", "text/plain", text);

        assertThat(accepted(backend)).containsExactly("application/json");
        assertThat(accepted(certificate)).containsExactlyInAnyOrder("application/json", "multipart/form-data");
        assertThat(accepted(policy)).containsExactlyInAnyOrder("application/json",
                "application/vnd.ms-azure-apim.policy.raw+xml", "application/xml");
        assertThat(backend.json().path("error").path("message").asText()).contains("application/json");
    }

    @Test
    void aFailedLoginIsLoggedWithUserAndAddressButNeverThePassword() {
        String user = "intruder-" + UUID.randomUUID();
        String password = Secrets.remember("guess-" + UUID.randomUUID());

        Reply refused = AdminClient.as(base, user, password).get("status");

        assertThat(refused.status()).isEqualTo(401);
        String line = ServerLog.text().lines().filter(l -> l.contains(user)).findFirst()
                .orElseThrow(() -> new AssertionError("no log line names the user " + user));
        assertThat(line).contains("Admin login failed").contains("127.0.0.1");
        assertThat(ServerLog.text()).doesNotContain(password);
        assertThat(ServerLog.text()).doesNotContain(TestRealm.password());
    }

    /** A byte every 300 ms restarts the container's 30 s idle timeout each time: only the body deadline ends it. */
    @Test
    void anAdminBodyTrickledInGets408AtTheDeadlineClosesTheConnectionAndWritesNothing() throws Exception {
        TrickledAdminBody.Outcome outcome = TrickledAdminBody.put(base, TestRealm.USER, TestRealm.password(),
                "backends/trickled", Bodies.backend("https://trickled.example"), () ->
                        assertThat(admin().get("status").status()).as("another admin call while the body trickles")
                                .isEqualTo(200));

        assertTrickledBodyRefused(outcome, BODY_DEADLINE_SECONDS);
        assertThat(admin().get("backends/trickled").status()).isEqualTo(404);
        assertThat(home.resolve("config/backends/trickled")).doesNotExist();
    }

    /** 408 in the ARM shape, at the first byte past the deadline, and the connection closed after it. */
    private static void assertTrickledBodyRefused(TrickledAdminBody.Outcome outcome, int deadlineSeconds) {
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(408);
        JsonNode error = assertArm(List.of("Content-Type: application/json"), outcome.body());
        assertThat(error.path("code").asText()).isEqualTo("RequestBodyTimeout");
        assertThat(error.path("message").asText())
                .startsWith("The request body did not arrive within " + deadlineSeconds + " s (")
                .endsWith("bytes/s); nothing was changed");
        assertThat(outcome.elapsed()).as("answered at the first byte past the %d s deadline", deadlineSeconds)
                .isBetween(Duration.ofSeconds(deadlineSeconds), Duration.ofSeconds(deadlineSeconds + 2));
        assertThat(outcome.closedAfter()).as("the connection closes: the rest of the body is never read as a request")
                .isTrue();
    }

    private static List<String> accepted(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(415);
        JsonNode error = assertArm(List.of("Content-Type: " + reply.header("Content-Type").orElse("")), reply.body());
        assertThat(error.path("code").asText()).isEqualTo("UnsupportedMediaType");
        return error.path("details").findValuesAsText("message");
    }
}
