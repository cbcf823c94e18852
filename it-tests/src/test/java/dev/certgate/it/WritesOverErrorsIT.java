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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: with per-API isolation a home may hold errors, and an admin write is refused only for the errors it
 * adds. A small home with one API whose policy is unsupported and one that needs a Key Vault named value: writes
 * that touch neither are accepted and serve, setting the named value serves its API, a write that adds an error is
 * refused naming it and writes nothing, and the errors already there stay listed.
 */
@ExtendWith(ArquillianExtension.class)
class WritesOverErrorsIT {
    private static final EchoBackend BACKEND = EchoBackend.start();
    static final String BROKEN_POLICY = "<policies>\n  <inbound>\n    <base />\n"
            + "    <ip-filter action=\"allow\"><address>10.0.0.1</address></ip-filter>\n  </inbound>\n</policies>\n";
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(WritesOverErrorsIT.class);
        HomeFiles.write(home, "config/apis/broken/apiInformation.json",
                HomeFiles.apiInformation("broken", "broken", BACKEND.url()));
        HomeFiles.write(home, "config/apis/broken/policy.xml", BROKEN_POLICY);
        writeVaulted(home, BACKEND.url());
        return CertgateWar.forClass(WritesOverErrorsIT.class);
    }

    /** A Key Vault named value without a value, and the API {@code vaulted} that puts it in a header. */
    static void writeVaulted(Path home, String backendUrl) {
        HomeFiles.write(home, "config/named values/vault-secret/namedValueInformation.json", "{\"properties\": {"
                + "\"displayName\": \"vault-secret\", \"secret\": true, \"keyVault\": {\"secretIdentifier\":"
                + " \"https://example.vault.azure.net/secrets/vault-secret\"}, \"tags\": []}}");
        HomeFiles.write(home, "config/apis/vaulted/apiInformation.json",
                HomeFiles.apiInformation("vaulted", "vaulted", backendUrl));
        HomeFiles.write(home, "config/apis/vaulted/policy.xml", HomeFiles.inboundPolicy(
                "<set-header name=\"X-Vault\"><value>{{vault-secret}}</value></set-header>"));
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void aWriteThatAddsNoErrorIsAcceptedAndServesWhileAnotherApiIsBroken() {
        List<String> before = errors(status());
        assertThat(before).anySatisfy(e -> assertThat(e).startsWith("config/apis/broken/policy.xml:4:")
                .contains("ip-filter"));

        Reply created = admin().putJson("apis/fresh", Bodies.api("fresh", BACKEND.url()));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Reply called = Gateway.get(base, "fresh/x");
        assertThat(called.status()).as(called.toString()).isEqualTo(200);
        assertThat(called.body()).isEqualTo("echo /x");
        assertThat(Gateway.get(base, "broken/x").status()).isEqualTo(503);
        List<String> after = errors(status());
        assertThat(after).as("the errors already there are still listed")
                .anySatisfy(e -> assertThat(e).startsWith("config/apis/broken/policy.xml:4:").contains("ip-filter"));
        assertThat(before).containsAll(after);
    }

    @Test
    void settingTheKeyVaultNamedValueAnApiNeedsServesIt() {
        assertThat(Gateway.get(base, "vaulted/x").status()).as("unavailable until it has a value").isEqualTo(503);
        assertThat(errors(status())).anySatisfy(e -> assertThat(e).startsWith("config/apis/vaulted/policy.xml")
                .contains("named value 'vault-secret' needs a value"));

        Reply set = admin().putJson("namedValues/vault-secret", Map.of("properties", Map.of(
                "displayName", "vault-secret", "secret", true, "value", "set-through-the-admin-api",
                "keyVault", Map.of("secretIdentifier", "https://example.vault.azure.net/secrets/vault-secret"))));

        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        Reply called = Gateway.get(base, "vaulted/x");
        assertThat(called.status()).as(called.toString()).isEqualTo(200);
        assertThat(called.body()).isEqualTo("echo /x");
        JsonNode status = status();
        assertThat(errors(status)).noneSatisfy(e -> assertThat(e).contains("vaulted"))
                .anySatisfy(e -> assertThat(e).startsWith("config/apis/broken/policy.xml:4:"));
        assertThat(status.path("apis").path("served").findValuesAsText("id")).contains("vaulted");
    }

    @Test
    void aWriteThatAddsAnErrorIsRefusedNamingItAndWritesNothing() {
        assertThat(admin().putJson("apis/guarded", Bodies.api("guarded", BACKEND.url())).status()).isEqualTo(201);
        List<String> before = errors(status());

        Reply refused = admin().putJson("apis/guarded/policies/policy", Bodies.policy(HomeFiles.inboundPolicy(
                "<authentication-certificate certificate-id=\"gone\" />")));

        assertRefusedNaming(refused, "config/apis/guarded/policy.xml", "4:5: ", "certificate-id \"gone\"");
        assertThat(home.resolve("config/apis/guarded/policy.xml")).doesNotExist();
        assertThat(Gateway.get(base, "guarded/x").status()).isEqualTo(200);
        assertThat(errors(status())).isEqualTo(before);
    }

    /** A 400 whose details list exactly the one error added, at {@code file} and position, and nothing else. */
    static void assertRefusedNaming(Reply refused, String file, String position, String reason) {
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        JsonNode error = refused.json().path("error");
        assertThat(error.path("code").asText()).isEqualTo("ValidationError");
        assertThat(error.path("message").asText()).startsWith("The change would make the configuration invalid: "
                + file + ":" + position).contains(reason);
        assertThat(error.path("details")).singleElement().satisfies(d -> {
            assertThat(d.path("code").asText()).isEqualTo("InvalidConfiguration");
            assertThat(d.path("target").asText()).isEqualTo(file);
            assertThat(d.path("message").asText()).startsWith(position).contains(reason);
        });
    }

    /** Each error of a status as {@code file:line:column: message}. */
    static List<String> errors(JsonNode status) {
        List<String> errors = new ArrayList<>();
        status.path("errors").forEach(e -> errors.add(e.path("file").asText() + ":" + e.path("line").asText()
                + ":" + e.path("column").asText() + ": " + e.path("message").asText()));
        return errors;
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
