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
import java.nio.file.Path;
import java.time.Duration;
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

    @Test
    void aWriteToAnApiThatStaysUnavailableIsSavedAndTheAnswerSaysItDoesNotServe() {
        Reply put = admin().putJson("apis/broken", renamed("broken", "Broken, renamed"));

        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().path("properties").path("displayName").asText()).isEqualTo("Broken, renamed");
        assertNotServedWarning(put, "broken", "is unavailable (its calls answer 503)");
        Reply read = admin().get("apis/broken");
        assertThat(read.status()).as("the file is there: not a 404 " + read).isEqualTo(200);
        assertThat(read.json().path("properties").path("displayName").asText()).isEqualTo("Broken, renamed");
        assertThat(read.etag()).isEqualTo(put.etag());
        assertNotServedWarning(read, "broken", "is unavailable (its calls answer 503)");
        assertNotServedWarning(admin().get("apis/broken/policies/policy"), "broken",
                "is unavailable (its calls answer 503)");
        Reply operation = admin().putJson("apis/broken/operations/list", Bodies.operation("GET", "/items"));
        assertThat(operation.status()).as(operation.toString()).isEqualTo(201);
        for (Reply aboutTheOperation : List.of(operation, admin().get("apis/broken/operations/list"),
                admin().delete("apis/broken/operations/list"))) {
            assertNotServedWarning(aboutTheOperation, "broken", "is unavailable (its calls answer 503)");
        }
        assertThat(Gateway.get(base, "broken/x").status()).isEqualTo(503);
    }

    @Test
    void aWriteToAnApiOnItsLastGoodConfigurationIsSavedSaysSoAndServesOnceTheErrorIsFixed() {
        assertThat(admin().putJson("apis/kept", Bodies.api("kept", BACKEND.url())).status()).isEqualTo(201);
        assertThat(admin().putJson("apis/kept/policies/policy", Bodies.policy(rewriteTo("/one"))).status())
                .isEqualTo(201);
        assertThat(Gateway.get(base, "kept/x").body()).isEqualTo("echo /one");
        HomeFiles.write(home, "config/apis/kept/policy.xml", BROKEN_POLICY); // a bad hand edit
        Poll.until(Duration.ofSeconds(20), this::status, s -> s.path("apis").path("served").findParents("id")
                .stream().anyMatch(api -> api.path("id").asText().equals("kept") && api.path("lastGood").asBoolean()));

        Reply put = admin().putJson("apis/kept", renamed("kept", "Kept, renamed"));

        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().path("properties").path("displayName").asText()).isEqualTo("Kept, renamed");
        assertNotServedWarning(put, "kept", "keeps serving its last good configuration");
        Reply read = admin().get("apis/kept");
        assertThat(read.json().path("properties").path("displayName").asText())
                .as("what the ETag names, not the older version served").isEqualTo("Kept, renamed");
        assertThat(read.etag()).isEqualTo(put.etag());
        assertNotServedWarning(read, "kept", "keeps serving its last good configuration");
        assertThat(Gateway.get(base, "kept/x").body()).isEqualTo("echo /one");

        Reply fixed = admin().putJson("apis/kept/policies/policy", Bodies.policy(rewriteTo("/two")));

        assertThat(fixed.status()).as(fixed.toString()).isEqualTo(200);
        assertThat(fixed.header("Warning")).isEmpty();
        Reply served = admin().get("apis/kept");
        assertThat(served.json().path("properties").path("displayName").asText()).isEqualTo("Kept, renamed");
        assertThat(served.header("Warning")).isEmpty();
        assertThat(Gateway.get(base, "kept/x").body()).isEqualTo("echo /two");
    }

    @Test
    void readingAnApiWhoseInformationFileDoesNotParseAnswersWhatServesAndNamesTheFile() {
        assertThat(admin().putJson("apis/hand-edited", Bodies.api("hand-edited", BACKEND.url())).status())
                .isEqualTo(201);
        String notJson = "{\n  \"properties\": {\n    \"path\": \"hand-edited\",\n  ]\n}\n";
        HomeFiles.write(home, "config/apis/hand-edited/apiInformation.json", notJson); // a bad hand edit
        Poll.until(Duration.ofSeconds(20), this::status, s -> s.path("apis").path("served").findParents("id")
                .stream().anyMatch(api -> api.path("id").asText().equals("hand-edited")
                        && api.path("lastGood").asBoolean()));

        Reply read = admin().get("apis/hand-edited");

        assertThat(read.status()).as("served and listed, so not a 404: " + read).isEqualTo(200);
        assertThat(read.json().path("properties").path("displayName").asText()).isEqualTo("API hand-edited");
        assertThat(read.header("Warning")).as(read.toString()).hasValueSatisfying(warning -> assertThat(warning)
                .contains("keeps serving its last good configuration")
                .contains("config/apis/hand-edited/apiInformation.json:4:"));
        // The body is not the file's: no ETag, so a PUT with If-Match cannot replace the hand edit unseen.
        assertThat(read.header("ETag")).as(read.toString()).isEmpty();
        assertThat(admin().get("apis").json().path("value").findValuesAsText("name")).contains("hand-edited");
        assertThat(Gateway.get(base, "hand-edited/x").status()).isEqualTo(200);

        HomeFiles.write(home, "config/apis/never-read/apiInformation.json", notJson.replace("hand-edited", "never"));
        Poll.until(Duration.ofSeconds(20), this::status, s -> errors(s).stream()
                .anyMatch(e -> e.startsWith("config/apis/never-read/apiInformation.json:4:")));

        Reply neverServed = admin().get("apis/never-read");

        assertThat(neverServed.status()).as(neverServed.toString()).isEqualTo(409);
        assertThat(neverServed.errorCode()).isEqualTo("Conflict");
        assertThat(neverServed.json().path("error").path("message").asText())
                .startsWith("API 'never-read' has a file that does not read and nothing of it serves: "
                        + "config/apis/never-read/apiInformation.json:4:");
        assertThat(neverServed.json().path("error").path("details")).singleElement().satisfies(d -> {
            assertThat(d.path("code").asText()).isEqualTo("InvalidConfiguration");
            assertThat(d.path("target").asText()).isEqualTo("config/apis/never-read/apiInformation.json");
        });
        assertThat(admin().delete("apis/never-read").status()).isEqualTo(200);
    }

    private static void assertNotServedWarning(Reply reply, String apiId, String state) {
        assertThat(reply.header("Warning")).as(reply.toString()).hasValueSatisfying(warning -> assertThat(warning)
                .startsWith("299 - \"The files of API '" + apiId + "' are saved but not served: it " + state
                        + " until these errors are fixed: config/apis/" + apiId + "/policy.xml:4:")
                .contains("ip-filter")
                .endsWith("GET /admin/status lists them all.\""));
    }

    private static Map<String, Object> renamed(String path, String displayName) {
        return Map.of("properties", Map.of("displayName", displayName, "path", path, "serviceUrl", BACKEND.url(),
                "protocols", List.of("https")));
    }

    private static String rewriteTo(String template) {
        return HomeFiles.inboundPolicy("<rewrite-uri template=\"" + template + "\" />");
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
