package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
import dev.certgate.it.support.Secrets;
import dev.certgate.it.support.ServerLog;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;

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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, named values through the real WAR: a secret one reaches the back end in a policy header and a backend
 * header, yet is never written to config/ nor answered by a GET (only by listValue); a Key Vault one is reported
 * with the call that sets it, and what uses it is served once it has a value; nothing reaches a back end as a
 * literal {{name}}.
 */
@ExtendWith(ArquillianExtension.class)
class NamedValuesIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static Path home;
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(NamedValuesIT.class);
        return CertgateWar.forClass(NamedValuesIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void trustTheBackEndAndStoreAClientCertificate() {
        if (!configured) {
            setup().trustTestServersAndStoreClient(TestCerts.client("named-values"));
            configured = true;
        }
    }

    private GatewaySetup setup() {
        return new GatewaySetup(base);
    }

    private Caller caller() {
        return new Caller(base);
    }

    private static Map<String, Object> namedValue(String displayName, Object value, boolean secret) {
        return value == null ? Map.of("properties", Map.of("displayName", displayName, "secret", secret))
                : Map.of("properties", Map.of("displayName", displayName, "value", value, "secret", secret,
                "tags", List.of("it")));
    }

    @Test
    void aSecretNamedValueReachesTheBackEndButNeitherConfigNorAnyGetOnlyListValue() throws IOException {
        String secret = Secrets.remember("nv-" + UUID.randomUUID());
        Reply created = setup().admin().putJson("namedValues/api-key", namedValue("api-key", secret, true));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(secret);
        setup().backend("keyed", Map.of("url", BACKEND.url() + "/svc", "credentials", Map.of(
                "certificateIds", List.of("/certificates/client"), "header", Map.of("X-Backend-Key",
                        List.of("{{api-key}}")))));
        setup().api("keyed", "keyed", "https://replaced-by-the-backend.example");
        setup().inbound("keyed", "<set-backend-service backend-id=\"keyed\" />"
                + "<set-header name=\"X-Policy-Key\" exists-action=\"override\"><value>Bearer {{API-KEY}}</value>"
                + "</set-header>");

        JsonNode headers = caller().echo("keyed/orders").path("headers");

        assertThat(headers.path("X-Backend-Key").get(0).asText()).isEqualTo(secret);
        assertThat(headers.path("X-Policy-Key").get(0).asText()).isEqualTo("Bearer " + secret);
        try (Stream<Path> files = Files.walk(home.resolve("config"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.UTF_8)).as(file.toString()).doesNotContain(secret);
            }
        }
        Path sealed = home.resolve("secrets/namedValues/api-key.sealed");
        assertThat(new String(Files.readAllBytes(sealed), StandardCharsets.ISO_8859_1)).doesNotContain(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sealed))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sealed.getParent())))
                .isEqualTo("rwx------");
        for (String path : new String[] {"namedValues/api-key", "namedValues", "backends/keyed", "status"}) {
            Reply read = setup().admin().get(path);
            assertThat(read.status()).as(path).isEqualTo(200);
            assertThat(read.body()).as(path).doesNotContain(secret);
        }
        JsonNode properties = setup().admin().get("namedValues/api-key").json().path("properties");
        assertThat(properties.has("value")).isFalse();
        assertThat(properties.path("secret").asBoolean()).isTrue();
        assertThat(properties.path("displayName").asText()).isEqualTo("api-key");
        assertThat(setup().admin().get("backends/keyed").json().path("properties").path("credentials").path("header")
                .path("X-Backend-Key").get(0).asText()).isEqualTo("{{api-key}}");

        Reply listed = setup().admin().send("POST", "namedValues/api-key/listValue", null, null);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().path("value").asText()).isEqualTo(secret);

        Reply stillUsed = setup().admin().delete("namedValues/api-key");
        assertThat(stillUsed.status()).as(stillUsed.toString()).isEqualTo(409);
        assertThat(stillUsed.body()).contains("named value 'api-key' is not defined").doesNotContain(secret);
    }

    /**
     * A back end's host from a secret named value: what reports on a call that cannot reach it (the caller's answer,
     * the log, the certificate's last failure, a TLS check) names it {{name}}, as the failure names the host.
     */
    @Test
    void aSecretNamedValueInABackEndsHostIsNeitherAnsweredNorLoggedWhenTheHostCannotBeReached() {
        String host = Secrets.remember("secret-host-" + UUID.randomUUID() + ".invalid");
        Reply created = setup().admin().putJson("namedValues/backend-host", namedValue("backend-host", host, true));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        setup().backend("hidden-host", Map.of("url", "https://{{backend-host}}/svc", "credentials", Map.of(
                "certificateIds", List.of("/certificates/client"))));
        setup().api("hidden-host", "hidden-host", "https://replaced-by-the-backend.example");
        setup().inbound("hidden-host", "<set-backend-service backend-id=\"hidden-host\" />");

        HttpResponse<String> call = caller().get("hidden-host/orders");
        Reply tlsCheck = setup().admin().send("POST", "backends/hidden-host/tls-check", null, null);
        Reply certificate = setup().admin().get("certificates/client");

        assertThat(call.statusCode()).as(call.body()).isEqualTo(500);
        assertThat(call.body()).contains("BackendConnectionFailure").doesNotContain(host);
        assertThat(tlsCheck.status()).as(tlsCheck.toString()).isEqualTo(200);
        assertThat(tlsCheck.json().path("verdict").path("explanation").asText())
                .contains("{{backend-host}}").doesNotContain(host);
        assertThat(tlsCheck.body()).doesNotContain(host);
        assertThat(certificate.body()).as("the certificate's last failure").doesNotContain(host);
        String log = Poll.until(Duration.ofSeconds(10), ServerLog::text,
                text -> text.contains("hidden-host/orders failed"));
        assertThat(log.lines().filter(line -> line.contains("hidden-host/orders failed")).findFirst().orElseThrow())
                .contains("{{backend-host}}");
        assertThat(log).doesNotContain(host);
    }

    @Test
    void aKeyVaultNamedValueIsReportedWithTheCallThatSetsItAndItsApiServedOnceItHasOne() {
        try {
            keyVaultNamedValue();
        } finally {
            // However this ends, the home must load again for the other tests: the reference goes.
            HomeFiles.delete(home, "config/apis/vaulted/policy.xml");
        }
    }

    private void keyVaultNamedValue() {
        long generation = status().path("generation").asLong();
        HomeFiles.write(home, "config/named values/vault-secret/namedValueInformation.json", "{\"properties\": {"
                + "\"displayName\": \"vault-secret\", \"secret\": true, \"keyVault\": {\"secretIdentifier\":"
                + " \"https://example.vault.azure.net/secrets/vault-secret\", \"identityClientId\": null},"
                + " \"tags\": []}}");
        HomeFiles.write(home, "config/apis/vaulted/apiInformation.json",
                HomeFiles.apiInformation("vaulted", "vaulted", BACKEND.url() + "/svc"));
        HomeFiles.write(home, "config/apis/vaulted/policy.xml", HomeFiles.inboundPolicy(
                "<authentication-certificate certificate-id=\"client\" />\n"
                        + "    <set-header name=\"X-Vault\"><value>{{vault-secret}}</value></set-header>"));

        JsonNode reported = Poll.until(Duration.ofSeconds(20), this::status, s -> s.path("warnings").toString()
                .contains("vault-secret"));
        JsonNode warning = Stream.of(reported.path("warnings")).flatMap(w -> java.util.stream.StreamSupport
                .stream(w.spliterator(), false)).filter(w -> w.toString().contains("vault-secret")).findFirst()
                .orElseThrow();
        assertThat(warning.path("file").asText()).isEqualTo("config/named values/vault-secret/namedValueInformation.json");
        assertThat(warning.path("message").asText()).contains("needs a value", "Azure Key Vault",
                "curl -u admin -X PUT", "/admin/namedValues/vault-secret");
        assertThat(reported.path("errors").toString()).contains("config/apis/vaulted/policy.xml")
                .contains("named value 'vault-secret' needs a value");
        JsonNode error = Stream.of(reported.path("errors")).flatMap(e -> java.util.stream.StreamSupport
                .stream(e.spliterator(), false)).filter(e -> e.path("file").asText().endsWith("vaulted/policy.xml"))
                .findFirst().orElseThrow();
        assertThat(error.path("line").asInt()).isEqualTo(5);
        assertThat(error.path("column").asInt()).isEqualTo(39);
        assertThat(caller().get("vaulted/x").statusCode()).isIn(404, 503);
        assertThat(reported.path("generation").asLong()).as("nothing half-loaded").isGreaterThanOrEqualTo(generation);

        String value = Secrets.remember("kv-" + UUID.randomUUID());
        Reply set = setup().admin().putJson("namedValues/vault-secret", Map.of("properties", Map.of(
                "displayName", "vault-secret", "secret", true, "value", value, "keyVault", Map.of("secretIdentifier",
                        "https://example.vault.azure.net/secrets/vault-secret"))));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);

        assertThat(caller().echo("vaulted/x").path("headers").path("X-Vault").get(0).asText()).isEqualTo(value);
        assertThat(status().path("warnings").toString()).doesNotContain("vault-secret");
    }

    @Test
    void aBackendHeaderThatNamesNoNamedValueIsRefusedInsteadOfSentAsWritten() {
        Reply refused = setup().admin().putJson("backends/literal", Map.of("properties", Map.of("url",
                BACKEND.url() + "/svc", "credentials", Map.of("header", Map.of("X-Key", List.of("{{nowhere}}"))))));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("error").path("message").asText()).contains(
                "properties.credentials.header.X-Key[0]: named value 'nowhere' is not defined");
    }

    private JsonNode status() {
        return setup().admin().get("status").json();
    }
}
