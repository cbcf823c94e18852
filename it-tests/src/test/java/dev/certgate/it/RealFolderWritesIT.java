package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.EchoBackend;
import dev.certgate.it.support.Gateway;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Reply;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.certgate.it.WritesOverErrorsIT.assertRefusedNaming;
import static dev.certgate.it.WritesOverErrorsIT.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: Microsoft's APIOps sample extract copied into the home (plus an API that needs a Key Vault named value)
 * holds errors in the global policy and in several APIs, and the admin API still takes every write that adds no
 * error: a new API, the global policy's fix, the named value's value; a write that adds one is refused naming it.
 */
@ExtendWith(ArquillianExtension.class)
class RealFolderWritesIT {
    private static final EchoBackend BACKEND = EchoBackend.start();
    private static final String CLEAN_GLOBAL_POLICY = "<policies>\n  <inbound />\n  <backend>\n"
            + "    <forward-request />\n  </backend>\n  <outbound />\n  <on-error />\n</policies>\n";
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(RealFolderWritesIT.class);
        if (Files.isDirectory(RealApiopsFolderIT.SAMPLE)) {
            RealApiopsFolderIT.copy(RealApiopsFolderIT.SAMPLE, home.resolve("config"));
            WritesOverErrorsIT.writeVaulted(home, BACKEND.url());
        }
        return CertgateWar.forClass(RealFolderWritesIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void everyWriteThatAddsNoErrorIsTakenWhileTheSampleHasErrors() {
        Assumptions.assumeTrue(Files.isDirectory(RealApiopsFolderIT.SAMPLE), "the shared real-world data is here");
        List<String> before = errors(status());
        // The global policy's own errors and those of the fragment only it includes.
        List<String> global = before.stream().filter(e -> e.startsWith("config/policy.xml:")
                || e.startsWith("config/policy fragments/")).toList();
        assertThat(global).as("the sample's global policy makes every API unavailable")
                .anySatisfy(e -> assertThat(e).startsWith("config/policy.xml:"));
        assertThat(before).anySatisfy(e -> assertThat(e).startsWith("config/apis/vaulted/policy.xml")
                .contains("named value 'vault-secret' needs a value"));

        Reply created = admin().putJson("apis/fresh", Bodies.api("fresh", BACKEND.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode status = status();
        assertThat(errors(status)).as("nothing added, nothing hidden").containsExactlyInAnyOrderElementsOf(before);
        assertThat(unavailable(status, "fresh").findValuesAsText("file")).as("only the global policy keeps it")
                .isNotEmpty().allSatisfy(file -> assertThat(global).anySatisfy(e -> assertThat(e).startsWith(file)));
        assertThat(Gateway.get(base, "fresh/x").status()).isEqualTo(503);

        Reply refused = admin().putJson("apis/fresh/policies/policy", Bodies.policy(HomeFiles.inboundPolicy(
                "<authentication-certificate certificate-id=\"gone\" />")));
        assertRefusedNaming(refused, "config/apis/fresh/policy.xml", "4:5: ", "certificate-id \"gone\"");
        assertThat(home.resolve("config/apis/fresh/policy.xml")).doesNotExist();
        assertThat(errors(status())).containsExactlyInAnyOrderElementsOf(before);

        Reply fixed = admin().putJson("policies/policy", Bodies.policy(CLEAN_GLOBAL_POLICY));
        assertThat(fixed.status()).as(fixed.toString()).isEqualTo(200);
        List<String> withoutGlobal = before.stream().filter(e -> !global.contains(e)).toList();
        assertThat(errors(status())).containsExactlyInAnyOrderElementsOf(withoutGlobal);
        Reply served = Gateway.get(base, "fresh/x");
        assertThat(served.status()).as(served.toString()).isEqualTo(200);
        assertThat(served.body()).isEqualTo("echo /x");
        assertThat(Gateway.get(base, "vaulted/x").status()).as("it still needs its named value").isEqualTo(503);

        Reply set = admin().putJson("namedValues/vault-secret", Map.of("properties", Map.of(
                "displayName", "vault-secret", "secret", true, "value", "set-through-the-admin-api",
                "keyVault", Map.of("secretIdentifier", "https://example.vault.azure.net/secrets/vault-secret"))));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        Reply vaulted = Gateway.get(base, "vaulted/x");
        assertThat(vaulted.status()).as(vaulted.toString()).isEqualTo(200);
        assertThat(vaulted.body()).isEqualTo("echo /x");

        assertThat(errors(status())).as("the sample's other errors are all still listed")
                .containsExactlyInAnyOrderElementsOf(withoutGlobal.stream()
                        .filter(e -> !e.startsWith("config/apis/vaulted/")).toList())
                .anySatisfy(e -> assertThat(e).startsWith("config/apis/basic-api/"));
    }

    private static JsonNode unavailable(JsonNode status, String id) {
        for (JsonNode api : status.path("apis").path("unavailable")) {
            if (id.equals(api.path("id").asText())) {
                return api.path("errors");
            }
        }
        throw new AssertionError(id + " is not listed unavailable: " + status.path("apis"));
    }

    private AdminClient admin() {
        return AdminClient.admin(base);
    }

    private JsonNode status() {
        Reply reply = admin().get("status");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }
}
