package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5 over real HTTP: /admin/backends; issue 15 item 9: APIM's backend properties are kept at every level, and a
 * misspelt one is refused naming the closest known one.
 */
@ExtendWith(ArquillianExtension.class)
class BackendsIT {
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(BackendsIT.class);
        return CertgateWar.forClass(BackendsIT.class);
    }

    private AdminClient admin() {
        return AdminClient.admin(base);
    }

    @Test
    void createsReadsReplacesListsAndDeletesABackend() {
        Reply created = admin().putJson("backends/inventory", Map.of("properties", Map.of(
                "url", "https://inventory.internal:8443/api", "protocol", "http", "description", "stock",
                "tls", Map.of("validateCertificateName", false),
                "credentials", Map.of("header", Map.of("X-Key", List.of("public-value"))))));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode properties = created.json().path("properties");
        assertThat(created.json().path("id").asText()).isEqualTo("/backends/inventory");
        assertThat(properties.path("url").asText()).isEqualTo("https://inventory.internal:8443/api");
        assertThat(properties.path("tls").path("validateCertificateChain").asBoolean()).isTrue();
        assertThat(properties.path("tls").path("validateCertificateName").asBoolean()).isFalse();
        assertThat(properties.path("credentials").path("header").path("X-Key").get(0).asText())
                .isEqualTo("public-value");
        assertThat(home.resolve("config/backends/inventory/backendInformation.json")).exists();

        Reply read = admin().get("backends/inventory");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.etag()).isEqualTo(created.etag());
        assertThat(admin().putJson("backends/inventory", Bodies.backend("https://inventory-2.internal")).status())
                .isEqualTo(200);
        JsonNode list = admin().get("backends").json();
        assertThat(list.path("count").asInt()).isEqualTo(list.path("value").size());
        assertThat(list.path("value").findValuesAsText("name")).contains("inventory");

        assertThat(admin().delete("backends/inventory").status()).isEqualTo(200);
        assertThat(admin().get("backends/inventory").status()).isEqualTo(404);
        assertThat(home.resolve("config/backends/inventory")).doesNotExist();
    }

    @Test
    void aPropertyGivenTwiceIsRefusedInsteadOfTheLastOneWinning() {
        byte[] twice = "{\"properties\": {\"url\": \"https://first.internal\", \"url\": \"https://second.internal\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        Reply refused = admin().put("backends/twice", "application/json", twice);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("error").path("message").asText()).startsWith("Property 'url' is given twice");
        assertThat(admin().get("backends/twice").status()).isEqualTo(404);
    }

    @Test
    void apimPropertiesAreKeptAtEveryLevelAndAMisspeltOneIsRefused() throws Exception {
        Map<String, Object> circuitBreaker = Map.of("rules", List.of(Map.of("name", "trip", "tripDuration", "PT1M",
                "failureCondition", Map.of("count", 5, "interval", "PT1M"))));
        Reply created = admin().putJson("backends/resilient", Map.of("properties", Map.of(
                "url", "https://resilient.internal", "title", "Resilient", "circuitBreaker", circuitBreaker,
                "credentials", Map.of("query", Map.of("code", List.of("k1"))))));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode onDisk = new ObjectMapper().readTree(home.resolve("config/backends/resilient/backendInformation.json")
                .toFile()).path("properties");
        assertThat(onDisk.path("circuitBreaker")).isEqualTo(new ObjectMapper().valueToTree(circuitBreaker));
        assertThat(onDisk.path("credentials").path("query").path("code").get(0).asText()).isEqualTo("k1");
        assertThat(onDisk.path("title").asText()).isEqualTo("Resilient");
        assertThat(admin().get("backends/resilient").json().path("properties").path("circuitBreaker"))
                .isEqualTo(onDisk.path("circuitBreaker"));
        assertThat(admin().get("status").json().path("warnings").findValuesAsText("message")).contains(
                "not used by Certgate (kept as written): circuitBreaker, credentials.query");

        Reply misspelt = admin().putJson("backends/resilient", Map.of("properties", Map.of(
                "url", "https://resilient.internal", "credentials", Map.of("certificateID", List.of("/certificates/x")))));

        assertThat(misspelt.status()).as(misspelt.toString()).isEqualTo(400);
        assertThat(misspelt.json().path("error").path("message").asText()).isEqualTo(
                "Unknown property 'credentials.certificateID' in backends/resilient: did you mean 'credentials.certificateIds'?");
        assertThat(admin().get("backends/resilient").json().path("properties").path("circuitBreaker").isObject()).isTrue();
    }

    @Test
    void aBackendNamingAMissingCertificateIs400WithDetails() {
        Reply reply = admin().putJson("backends/needs-cert", Map.of("properties", Map.of(
                "url", "https://x.internal", "protocol", "http",
                "credentials", Map.of("certificateIds", List.of("/certificates/absent")))));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("ValidationError");
        assertThat(reply.json().path("error").path("details").toString()).contains("absent");
        assertThat(home.resolve("config/backends/needs-cert")).doesNotExist();
    }

    @Test
    void deletingABackendAPolicyNamesIs409WithDetails() {
        assertThat(admin().putJson("backends/named", Bodies.backend("https://named.internal")).status())
                .isEqualTo(201);
        assertThat(admin().putJson("apis/uses-backend", Bodies.api("uses-backend", "https://unused.example"))
                .status()).isEqualTo(201);
        assertThat(admin().putJson("apis/uses-backend/policies/policy", Bodies.policy(
                "<policies><inbound><base /><set-backend-service backend-id=\"named\" /></inbound></policies>"))
                .status()).isEqualTo(201);

        Reply refused = admin().delete("backends/named");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("Conflict");
        JsonNode details = refused.json().path("error").path("details");
        assertThat(details.size()).isEqualTo(1);
        assertThat(details.get(0).path("target").asText()).isEqualTo("/apis/uses-backend/policies/policy");
        assertThat(home.resolve("config/backends/named/backendInformation.json")).exists();

        assertThat(admin().delete("apis/uses-backend/policies/policy").status()).isEqualTo(200);
        assertThat(admin().delete("backends/named").status()).isEqualTo(200);
    }

    @Test
    void refusalsOfMissingStaleAndInvalid() {
        String etag = admin().putJson("backends/guarded", Bodies.backend("https://g.internal")).etag();

        assertThat(admin().get("backends/missing").status()).isEqualTo(404);
        assertThat(admin().delete("backends/missing").status()).isEqualTo(404);
        assertThat(admin().putJson("backends/guarded", Bodies.backend("https://h.internal"), "If-Match", "\"old\"")
                .status()).isEqualTo(412);
        assertThat(admin().delete("backends/guarded", "If-Match", "\"old\"").status()).isEqualTo(412);
        assertThat(admin().putJson("backends/guarded", Map.of("url", "https://no-properties")).status())
                .isEqualTo(400);
        assertThat(admin().putJson("backends/..%2Fescape", Bodies.backend("https://e.internal")).status())
                .isIn(400, 404);
        assertThat(admin().get("backends/guarded").etag()).isEqualTo(etag);
    }
}
