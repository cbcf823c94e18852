package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.EchoBackend;
import dev.certgate.it.support.ErrorShapes;
import dev.certgate.it.support.Gateway;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, per-API isolation through the real WAR: an API whose configuration has an error answers 503
 * ApiUnavailable (a requestId, no configuration detail) while the others serve, and an API that served keeps its
 * last good configuration after a bad hand edit; {@code /admin/status} lists both with their errors.
 */
@ExtendWith(ArquillianExtension.class)
class ApiIsolationIT {
    private static final EchoBackend BACKEND = EchoBackend.start();
    private static final String UNSUPPORTED = "<policies>\n  <inbound>\n    <base />\n"
            + "    <ip-filter action=\"allow\"><address>10.0.0.1</address></ip-filter>\n  </inbound>\n</policies>\n";
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(ApiIsolationIT.class);
        HomeFiles.write(home, "config/apis/fine/apiInformation.json",
                HomeFiles.apiInformation("fine", "fine", BACKEND.url()));
        HomeFiles.write(home, "config/apis/filtered/apiInformation.json",
                HomeFiles.apiInformation("filtered", "filtered", BACKEND.url()));
        HomeFiles.write(home, "config/apis/filtered/policy.xml", UNSUPPORTED);
        HomeFiles.write(home, "config/apis/steady/apiInformation.json",
                HomeFiles.apiInformation("steady", "steady", BACKEND.url()));
        HomeFiles.write(home, "config/apis/steady/policy.xml", rewriteTo("/one"));
        return CertgateWar.forClass(ApiIsolationIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void anApiWithAnUnsupportedPolicyIsUnavailableWhileAnotherServes() {
        Reply fine = Gateway.get(base, "fine/x");
        Reply filtered = Gateway.get(base, "filtered/x");

        assertThat(fine.status()).as(fine.toString()).isEqualTo(200);
        assertThat(fine.body()).isEqualTo("echo /x");
        assertThat(filtered.status()).as(filtered.toString()).isEqualTo(503);
        JsonNode error = ErrorShapes.assertGateway(503, List.of("Content-Type: " + filtered.header("Content-Type")
                .orElse("")), filtered.body());
        assertThat(error.path("reason").asText()).isEqualTo("ApiUnavailable");
        assertThat(error.path("message").asText())
                .isEqualTo("The API is unavailable: its configuration could not be loaded");
        assertThat(filtered.body()).doesNotContain("ip-filter").doesNotContain("policy.xml").doesNotContain("filtered");
        String requestId = error.path("requestId").asText();
        assertThat(UUID.fromString(requestId)).isNotNull();
        assertThat(ServerLogFile.text()).as("the log line names the API under the same requestId")
                .containsPattern("API \"filtered\" is unavailable.*" + requestId);

        JsonNode apis = AdminClient.admin(base).get("status").json().path("apis");
        assertThat(apis.path("served").findValuesAsText("id")).contains("fine", "steady");
        JsonNode unavailable = entry(apis.path("unavailable"), "filtered");
        assertThat(unavailable.path("path").asText()).isEqualTo("filtered");
        assertThat(unavailable.path("errors")).singleElement().satisfies(e -> {
            assertThat(e.path("file").asText()).isEqualTo("config/apis/filtered/policy.xml");
            assertThat(e.path("line").asInt()).isEqualTo(4);
            assertThat(e.path("message").asText()).contains("ip-filter");
        });
    }

    @Test
    void afterABadHandEditTheLastGoodVersionKeepsServing() {
        assertThat(Gateway.get(base, "steady/x").body()).isEqualTo("echo /one");
        long generation = status().path("generation").asLong();

        HomeFiles.write(home, "config/apis/steady/policy.xml", UNSUPPORTED);
        JsonNode broken = Poll.until(Duration.ofSeconds(20), this::status,
                s -> entry(s.path("apis").path("served"), "steady").path("lastGood").asBoolean());

        assertThat(broken.path("generation").asLong()).as("nothing served changed").isEqualTo(generation);
        assertThat(entry(broken.path("apis").path("served"), "steady").path("errors").findValuesAsText("file"))
                .containsExactly("config/apis/steady/policy.xml");
        assertThat(Gateway.get(base, "steady/x").body()).isEqualTo("echo /one");
        assertThat(Gateway.get(base, "fine/x").status()).isEqualTo(200);

        HomeFiles.write(home, "config/apis/steady/policy.xml", rewriteTo("/two"));
        JsonNode repaired = Poll.until(Duration.ofSeconds(20), this::status,
                s -> !entry(s.path("apis").path("served"), "steady").path("lastGood").asBoolean());

        assertThat(repaired.path("generation").asLong()).isGreaterThan(generation);
        assertThat(Gateway.get(base, "steady/x").body()).isEqualTo("echo /two");
    }

    private JsonNode status() {
        Reply reply = AdminClient.admin(base).get("status");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static JsonNode entry(JsonNode list, String id) {
        for (JsonNode api : list) {
            if (id.equals(api.path("id").asText())) {
                return api;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String rewriteTo(String template) {
        return HomeFiles.inboundPolicy("<rewrite-uri template=\"" + template + "\" />");
    }
}
