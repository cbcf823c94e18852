package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.EchoBackend;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issues 3 and 5: GET /admin/status, exactly the contract's fields, and a bad file on disk reported there; issue 15
 * item 14: every error of a refused load at once, each with file, line and column; issue 17: a write is not refused
 * because another file is broken.
 */
@ExtendWith(ArquillianExtension.class)
class StatusIT {
    private static final EchoBackend BACKEND = EchoBackend.start();
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(StatusIT.class);
        return CertgateWar.forClass(StatusIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    private AdminClient admin() {
        return AdminClient.admin(base);
    }

    private JsonNode status() {
        Reply reply = admin().get("status");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void statusHasExactlyTheContractsFields() {
        assertThat(admin().putJson("apis/probe", Bodies.api("probe", BACKEND.url())).status()).isEqualTo(201);
        assertThat(Gateway.get(base, "probe/x").status()).isEqualTo(200);
        JsonNode status = status();

        assertThat(names(status)).containsExactlyInAnyOrder("version", "generation", "loadedAt", "lastError",
                "errors", "warnings", "apis", "products", "counts", "pools");
        assertThat(names(status.path("apis"))).containsExactlyInAnyOrder("served", "unavailable", "revisions");
        assertThat(names(status.path("apis").path("served").get(0)))
                .containsExactlyInAnyOrder("id", "path", "lastGood", "errors");
        assertThat(status.path("version").asText()).matches("\\d+\\.\\d+.*");
        assertThat(status.path("generation").isIntegralNumber()).isTrue();
        assertThat(Instant.parse(status.path("loadedAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(status.get("lastError").isNull()).isTrue();
        assertThat(status.path("errors").isArray()).isTrue();
        assertThat(status.path("errors").size()).isZero();
        assertThat(status.path("warnings").isArray()).isTrue();
        assertThat(names(status.path("counts")))
                .containsExactlyInAnyOrder("apis", "backends", "certificates", "authorities");
        assertThat(status.path("pools").isArray()).isTrue();
        assertThat(status.path("pools").size()).as("the pool of the call above").isPositive();
        for (JsonNode pool : status.path("pools")) {
            // The TLS checks are added: pools of one certificate for backends with other tls settings differ by them.
            assertThat(names(pool)).containsExactlyInAnyOrder("certificateId", "thumbprint", "validateCertificateChain",
                    "validateCertificateName", "leased", "available", "pending", "max", "handshakes");
        }
    }

    @Test
    void aWriteRaisesTheGenerationAndTheCounts() {
        JsonNode before = status();

        assertThat(admin().putJson("backends/counted", Bodies.backend("https://counted.internal")).status())
                .isEqualTo(201);

        JsonNode after = status();
        assertThat(after.path("generation").asLong()).isGreaterThan(before.path("generation").asLong());
        assertThat(after.path("counts").path("backends").asInt())
                .isEqualTo(before.path("counts").path("backends").asInt() + 1);
    }

    @Test
    void aBrokenPolicyOnDiskShowsWithFileAndLineWhileTheLastGoodConfigurationServes() {
        assertThat(admin().putJson("apis/steady", Bodies.api("steady", BACKEND.url())).status()).isEqualTo(201);
        String good = HomeFiles.inboundPolicy(
                "<set-header name=\"X-Steady\" exists-action=\"override\"><value>1</value></set-header>");
        assertThat(admin().put("apis/steady/policies/policy", "application/xml", good.getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(201);
        assertThat(Gateway.get(base, "steady/ping").body()).isEqualTo("echo /ping");
        long generation = status().path("generation").asLong();

        HomeFiles.write(home, "config/apis/steady/policy.xml",
                "<policies>\n  <inbound>\n    <bogus-policy />\n  </inbound>\n</policies>\n");

        JsonNode broken = Poll.until(Duration.ofSeconds(20), this::status, s -> !s.path("lastError").isNull());
        JsonNode error = broken.path("lastError");
        assertThat(error.path("file").asText()).endsWith("apis/steady/policy.xml");
        assertThat(error.path("line").asInt()).isEqualTo(3);
        assertThat(error.path("column").asInt()).isPositive();
        assertThat(error.path("message").asText()).contains("bogus-policy");
        assertThat(broken.path("generation").asLong()).isEqualTo(generation);
        Reply stillServing = Gateway.get(base, "steady/ping");
        assertThat(stillServing.status()).isEqualTo(200);
        assertThat(stillServing.body()).isEqualTo("echo /ping");

        HomeFiles.write(home, "config/apis/steady/policy.xml", good.replace("<value>1</value>", "<value>2</value>"));

        JsonNode repaired = Poll.until(Duration.ofSeconds(20), this::status, s -> s.path("lastError").isNull());
        assertThat(repaired.path("generation").asLong()).isGreaterThan(generation);
    }

    /** A script that edits files and then asks for the status learns about its edit, without waiting for the watch. */
    @Test
    void theStatusRightAfterAHandEditIsThatEdits() {
        assertThat(admin().putJson("apis/edited", Bodies.api("edited", BACKEND.url())).status()).isEqualTo(201);
        long generation = status().path("generation").asLong();
        try {
            HomeFiles.write(home, "config/apis/edited/policy.xml",
                    "<policies>\n  <inbound>\n    <not-a-policy />\n  </inbound>\n</policies>\n");
            JsonNode broken = status();
            assertThat(broken.path("lastError").path("file").asText()).isEqualTo("config/apis/edited/policy.xml");
            assertThat(broken.path("lastError").path("message").asText()).contains("not-a-policy");

            HomeFiles.write(home, "config/apis/edited/policy.xml", HomeFiles.inboundPolicy(
                    "<set-header name=\"X-Edited\" exists-action=\"override\"><value>1</value></set-header>"));
            JsonNode repaired = status();
            assertThat(repaired.path("lastError").isNull()).as(repaired.toString()).isTrue();
            assertThat(repaired.path("generation").asLong()).isGreaterThan(generation);
        } finally {
            HomeFiles.delete(home, "config/apis/edited/policy.xml");
        }
    }

    @Test
    void everyErrorOfARefusedLoadShowsAtOnceEachWithFileLineAndColumn() {
        assertThat(admin().putJson("apis/trio", Bodies.api("trio", BACKEND.url())).status()).isEqualTo(201);
        assertThat(admin().putJson("apis/trio-ref", Bodies.api("trio-ref", BACKEND.url())).status()).isEqualTo(201);
        long generation = status().path("generation").asLong();
        try {
            HomeFiles.write(home, "config/apis/trio/policy.xml",
                    "<policies>\n  <inbound>\n    <bogus-policy />\n  </inbound>\n</policies>\n");
            HomeFiles.write(home, "config/backends/trio-broken/backendInformation.json",
                    "{\n  \"properties\": {\n    \"url\": \"https://x.test\"\n    \"protocol\": \"http\"\n  }\n}\n");
            HomeFiles.write(home, "config/apis/trio-ref/policy.xml", HomeFiles.inboundPolicy(
                    "<authentication-certificate certificate-id=\"gone\" />"));

            JsonNode broken = Poll.until(Duration.ofSeconds(20), this::status, s -> s.path("errors").size() == 3);

            assertThat(positions(broken.path("errors"))).containsExactlyInAnyOrder(
                    "config/apis/trio/policy.xml:3:5",
                    "config/backends/trio-broken/backendInformation.json:4:5",
                    "config/apis/trio-ref/policy.xml:4:5");
            assertThat(broken.path("errors").findValuesAsText("message")).anySatisfy(m -> assertThat(m)
                    .contains("certificate-id \"gone\" does not exist"));
            assertThat(broken.path("lastError")).isEqualTo(broken.path("errors").get(0));
            assertThat(broken.path("generation").asLong()).isEqualTo(generation);
        } finally {
            HomeFiles.delete(home, "config/apis/trio/policy.xml");
            HomeFiles.delete(home, "config/backends/trio-broken/backendInformation.json");
            HomeFiles.delete(home, "config/apis/trio-ref/policy.xml");
            JsonNode repaired = Poll.until(Duration.ofSeconds(20), this::status, s -> s.path("lastError").isNull());
            assertThat(repaired.path("errors").size()).isZero();
        }
    }

    @Test
    void aWriteIsNotRefusedBecauseAnotherFileIsBroken() {
        assertThat(admin().putJson("apis/orders", Bodies.api("orders", BACKEND.url())).status()).isEqualTo(201);
        try {
            HomeFiles.write(home, "config/apis/orders/policy.xml", HomeFiles.inboundPolicy(
                    "<authentication-certificate certificate-id=\"gone\" />"));
            JsonNode broken = Poll.until(Duration.ofSeconds(20), this::status, s -> !s.path("lastError").isNull());

            Reply accepted = admin().putJson("backends/innocent", Bodies.backend("https://innocent.internal"));

            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
            assertThat(home.resolve("config/backends/innocent/backendInformation.json")).exists();
            assertThat(positions(status().path("errors"))).as("the broken file is still listed")
                    .isEqualTo(positions(broken.path("errors"))).containsExactly("config/apis/orders/policy.xml:4:5");
        } finally {
            HomeFiles.delete(home, "config/apis/orders/policy.xml");
            Poll.until(Duration.ofSeconds(20), this::status, s -> s.path("lastError").isNull());
        }
    }

    /** Each error as {@code file:line:column}. */
    private static List<String> positions(JsonNode errors) {
        List<String> result = new ArrayList<>();
        errors.forEach(e -> result.add(e.path("file").asText() + ":" + e.path("line").asInt() + ":"
                + e.path("column").asInt()));
        return result;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
