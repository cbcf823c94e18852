package dev.certgate.config;

import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.NamedValueProperties;
import dev.certgate.api.model.OperationProperties;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model records keep the properties they do not name, through a read and a write ({@link ModelMixIns}). */
class ModelJsonTest {

    @Test
    void anApiKeepsApimPropertiesVerbatimThroughAReadAndAWrite() throws Exception {
        String file = "{\"properties\": {\"path\": \"orders\", \"apiRevision\": \"3\", \"serviceUrl\": \"https://o.test\","
                + " \"protocols\": [\"https\"], \"contact\": {\"name\": \"Team\", \"email\": null},"
                + " \"authenticationSettings\": {\"oAuth2\": {\"scope\": \"s\"}}, \"apiVersionSetId\": null,"
                + " \"subscriptionKeyParameterNames\": {\"header\": \"Key\", \"query\": \"key\"}, \"isCurrent\": true}}";

        ApiProperties api = read(file, ApiProperties.class);

        assertThat(api.path()).isEqualTo("orders");
        assertThat(api.serviceUrl()).isEqualTo("https://o.test");
        assertThat(api.unused().keySet()).as("by name, whatever order they came in").containsExactly("apiRevision",
                "apiVersionSetId", "authenticationSettings", "contact", "isCurrent", "subscriptionKeyParameterNames");
        assertThat(Json.MAPPER.readTree(JsonEnvelope.write(api))).isEqualTo(Json.MAPPER.readTree(file));
    }

    @Test
    void aBackendKeepsThemAtEveryLevel() throws Exception {
        String file = "{\"properties\": {\"url\": \"https://b.test\", \"circuitBreaker\": {\"rules\": [{\"name\": \"r\","
                + " \"tripDuration\": \"PT1M\", \"failureCondition\": {\"count\": 3, \"percentage\": 12.5}}]},"
                + " \"credentials\": {\"certificateIds\": [\"/certificates/c\"], \"query\": {\"code\": [\"x\"]}},"
                + " \"tls\": {\"validateCertificateName\": false, \"validateCertificateChian\": false}}}";

        BackendProperties backend = read(file, BackendProperties.class);

        assertThat(backend.unused()).containsOnlyKeys("circuitBreaker");
        assertThat(backend.credentials().unused()).containsOnlyKeys("query");
        assertThat(backend.tls().unused()).containsOnlyKeys("validateCertificateChian");
        assertThat(backend.tls().name()).isFalse();
        JsonNode written = Json.MAPPER.readTree(JsonEnvelope.write(backend)).path("properties");
        assertThat(written.path("circuitBreaker")).isEqualTo(Json.MAPPER.readTree(file).path("properties")
                .path("circuitBreaker"));
        assertThat(written.path("credentials").path("query").path("code").get(0).asText()).isEqualTo("x");
    }

    @Test
    void anOperationToo() throws Exception {
        OperationProperties operation = read("{\"properties\": {\"method\": \"GET\", \"urlTemplate\": \"/x\","
                + " \"templateParameters\": [], \"responses\": [{\"statusCode\": 200}]}}", OperationProperties.class);

        assertThat(operation.unused()).containsOnlyKeys("templateParameters", "responses");
        assertThat(Json.MAPPER.readTree(JsonEnvelope.write(operation)).path("properties").path("responses").get(0)
                .path("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void aNamedValueAsTheExtractorWritesItComesBackTheSameAndAnswersNoMoreThanItHas() throws Exception {
        String file = "{\"properties\": {\"displayName\": \"vault-secret\", \"secret\": true, \"tags\": [\"t\"],"
                + " \"keyVault\": {\"secretIdentifier\": \"https://kv.vault.azure.net/secrets/s\","
                + " \"identityClientId\": null}, \"provisioningState\": \"Succeeded\"}}";

        NamedValueProperties namedValue = read(file, NamedValueProperties.class);

        assertThat(namedValue.secretValue()).isTrue();
        assertThat(namedValue.unused()).containsOnlyKeys("provisioningState");
        assertThat(Json.MAPPER.readTree(JsonEnvelope.write(namedValue))).isEqualTo(Json.MAPPER.readTree(file));
        assertThat(UnusedProperties.of(namedValue)).extracting(UnusedProperties.Finding::verdict)
                .containsExactly(UnusedProperties.Verdict.KEPT);
    }

    @Test
    void keptPropertiesAreDeeplyUnmodifiable() throws Exception {
        ApiProperties api = read("{\"properties\": {\"path\": \"p\", \"contact\": {\"emails\": [\"a@b.test\"]}}}",
                ApiProperties.class);

        @SuppressWarnings("unchecked")
        Map<String, Object> contact = (Map<String, Object>) api.unused().get("contact");
        assertThatThrownBy(() -> api.unused().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> contact.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((java.util.List<Object>) contact.get("emails")).add("c"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static <P> P read(String json, Class<P> type) {
        java.util.List<ConfigError> errors = new java.util.ArrayList<>();
        P properties = JsonEnvelope.read(json.getBytes(StandardCharsets.UTF_8), type, "test.json", errors);
        assertThat(errors).isEmpty();
        return properties;
    }
}
