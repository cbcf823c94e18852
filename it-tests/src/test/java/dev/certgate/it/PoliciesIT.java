package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 5 over real HTTP: policies at the global, API and operation scopes, JSON and raw XML. */
@ExtendWith(ArquillianExtension.class)
class PoliciesIT {
    private static final String RAW_XML = "application/vnd.ms-azure-apim.policy.raw+xml";
    private static final String POLICY = """
            <policies>
              <!-- kept as written -->
              <inbound>
                <base />
                <set-header name="X-Scope" exists-action="override"><value>%s</value></set-header>
              </inbound>
              <backend><base /></backend>
              <outbound><base /></outbound>
              <on-error><base /></on-error>
            </policies>
            """;

    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(PoliciesIT.class);
        return CertgateWar.forClass(PoliciesIT.class);
    }

    private AdminClient admin() {
        return AdminClient.admin(base);
    }

    @BeforeEach
    void apiAndOperation() {
        if (admin().get("apis/pets").status() == 404) {
            assertThat(admin().putJson("apis/pets", Bodies.api("pets", "https://pets.example")).status())
                    .isEqualTo(201);
            assertThat(admin().putJson("apis/pets/operations/list", Bodies.operation("GET", "/pets")).status())
                    .isEqualTo(201);
        }
    }

    private static String policy(String scope) {
        return POLICY.formatted(scope);
    }

    @Test
    void eachScopeTakesJsonAndAnswersTheStoredText() throws IOException {
        String[][] scopes = {
                {"policies/policy", "config/policy.xml", "/policies/policy"},
                {"apis/pets/policies/policy", "config/apis/pets/policy.xml", "/apis/pets/policies/policy"},
                {"apis/pets/operations/list/policies/policy", "config/apis/pets/operations/list/policy.xml",
                        "/apis/pets/operations/list/policies/policy"}};
        for (String[] scope : scopes) {
            String xml = policy(scope[0]);
            Reply created = admin().putJson(scope[0], Bodies.policy(xml));
            assertThat(created.status()).as(scope[0] + " " + created).isIn(200, 201);
            assertThat(Files.readString(home.resolve(scope[1]), StandardCharsets.UTF_8)).isEqualTo(xml);

            Reply read = admin().get(scope[0]);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.etag()).isEqualTo(created.etag());
            JsonNode body = read.json();
            assertThat(body.path("id").asText()).isEqualTo(scope[2]);
            assertThat(body.path("name").asText()).isEqualTo("policy");
            assertThat(body.path("properties").path("format").asText()).isEqualTo("rawxml");
            assertThat(body.path("properties").path("value").asText()).isEqualTo(xml);
        }
    }

    @Test
    void rawXmlInAndOutWithApimsMediaTypeAndApplicationXml() throws IOException {
        String first = policy("raw-1");
        Reply put = admin().put("apis/pets/policies/policy", RAW_XML, first.getBytes(StandardCharsets.UTF_8));
        assertThat(put.status()).as(put.toString()).isIn(200, 201);

        Reply raw = admin().get("apis/pets/policies/policy", "Accept", RAW_XML);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith(RAW_XML));
        assertThat(raw.body()).isEqualTo(first);
        assertThat(raw.header("ETag")).isPresent();

        String second = policy("raw-2");
        Reply replaced = admin().put("apis/pets/policies/policy", "application/xml",
                second.getBytes(StandardCharsets.UTF_8));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        Reply xml = admin().get("apis/pets/policies/policy", "Accept", "application/xml");
        assertThat(xml.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/xml"));
        assertThat(xml.body()).isEqualTo(second);
        assertThat(admin().get("apis/pets/policies/policy", "Accept", "*/*").json()
                .path("properties").path("value").asText()).isEqualTo(second);
        assertThat(Files.readString(home.resolve("config/apis/pets/policy.xml"))).isEqualTo(second);
    }

    @Test
    void anInvalidPolicyIs400WithLineAndColumnAndTheFileStaysAsItWas() throws IOException {
        String good = policy("kept");
        assertThat(admin().putJson("policies/policy", Bodies.policy(good)).status()).isIn(200, 201);
        Path file = home.resolve("config/policy.xml");

        String unknownElement = "<policies>\n  <inbound>\n    <base />\n    <ip-filter action=\"allow\" />\n"
                + "  </inbound>\n</policies>";
        String notWellFormed = "<policies>\n  <inbound>\n    <base>\n  </inbound>\n</policies>";
        String expression = "<policies><inbound><set-header name=\"X\" exists-action=\"override\">"
                + "<value>@(context.Request.Url)</value></set-header></inbound></policies>";

        Reply unknown = admin().putJson("policies/policy", Bodies.policy(unknownElement));
        Reply malformed = admin().put("policies/policy", RAW_XML, notWellFormed.getBytes(StandardCharsets.UTF_8));
        Reply expressionRefused = admin().putJson("policies/policy", Bodies.policy(expression));

        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
        assertThat(unknown.json().path("error").path("message").asText())
                .contains("line 4").contains("column").contains("ip-filter");
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
        assertThat(malformed.json().path("error").path("message").asText()).contains("line 4");
        assertThat(expressionRefused.status()).as(expressionRefused.toString()).isEqualTo(400);
        assertThat(expressionRefused.json().path("error").path("message").asText().toLowerCase())
                .contains("expression");
        for (Reply refused : new Reply[] {unknown, malformed, expressionRefused}) {
            assertThat(refused.errorCode()).isEqualTo("ValidationError");
            assertThat(refused.json().path("error").path("details").size()).isPositive();
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(good);
    }

    @Test
    void aMisspeltPropertyIs400NamingItAndTheClosestKnownNameAndTheFileStaysAsItWas() throws IOException {
        String good = policy("typo");
        assertThat(admin().putJson("apis/pets/policies/policy", Bodies.policy(good)).status()).isIn(200, 201);

        Reply refused = admin().putJson("apis/pets/policies/policy", Map.of("properties",
                Map.of("format", "rawxml", "values", "<policies/>")));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("ValidationError");
        assertThat(refused.json().path("error").path("message").asText())
                .isEqualTo("Unknown property 'values' in apis/pets/policies/policy: did you mean 'value'?");
        assertThat(refused.json().path("error").path("details").get(0).path("target").asText())
                .isEqualTo("properties.values");
        assertThat(Files.readString(home.resolve("config/apis/pets/policy.xml"), StandardCharsets.UTF_8))
                .isEqualTo(good);
    }

    /** A policy whose {@code section} sets {@code name}, the {@code <set-header>} at line 4, column 5. */
    private static String setting(String section, String name) {
        return "<policies>\n  <" + section + ">\n    <base />\n    <set-header name=\"" + name
                + "\" exists-action=\"override\"><value>1</value></set-header>\n  </" + section + ">\n</policies>\n";
    }

    @Test
    void setHeaderOfAFramingOrHopByHopFieldIs400NamingTheHeaderLineAndColumn() throws IOException {
        String good = policy("kept");
        assertThat(admin().putJson("apis/pets/policies/policy", Bodies.policy(good)).status()).isIn(200, 201);
        String[][] refusals = {{"inbound", "Content-Length"}, {"inbound", "Transfer-Encoding"},
                {"inbound", "Connection"}, {"inbound", "Upgrade"}, {"inbound", "TE"}, {"inbound", "Expect"},
                {"outbound", "Transfer-Encoding"}, {"on-error", "Keep-Alive"}, {"outbound", "Proxy-Connection"}};

        for (String[] refusal : refusals) {
            String xml = setting(refusal[0], refusal[1]);
            Reply raw = admin().put("apis/pets/policies/policy", RAW_XML, xml.getBytes(StandardCharsets.UTF_8));
            Reply json = admin().putJson("apis/pets/policies/policy", Bodies.policy(xml));

            for (Reply refused : new Reply[] {raw, json}) {
                assertThat(refused.status()).as(refusal[1] + " " + refused).isEqualTo(400);
                assertThat(refused.errorCode()).isEqualTo("ValidationError");
                assertThat(refused.json().path("error").path("message").asText())
                        .contains("line 4, column 5").contains("'" + refusal[1] + "' cannot be set by a policy");
            }
        }
        assertThat(Files.readString(home.resolve("config/apis/pets/policy.xml"), StandardCharsets.UTF_8))
                .isEqualTo(good);
        Reply host = admin().putJson("apis/pets/policies/policy", Bodies.policy(setting("inbound", "Host")));
        assertThat(host.status()).as(host.toString()).isEqualTo(200);
    }

    @Test
    void aPolicyFileThatSetsAHopByHopFieldIsRefusedAtLoadAndStatusSaysWhere() throws IOException {
        String relative = "apis/pets/operations/list/policy.xml";
        long generation = status().path("generation").asLong();

        HomeFiles.write(home, "config/" + relative, setting("outbound", "Transfer-Encoding"));
        try {
            JsonNode broken = Poll.until(Duration.ofSeconds(20), this::status, s -> !s.path("lastError").isNull());
            JsonNode error = broken.path("lastError");
            assertThat(error.path("file").asText()).endsWith(relative);
            assertThat(error.path("line").asInt()).isEqualTo(4);
            assertThat(error.path("column").asInt()).isEqualTo(5);
            assertThat(error.path("message").asText()).contains("'Transfer-Encoding' cannot be set by a policy");
            assertThat(broken.path("generation").asLong()).isEqualTo(generation);
        } finally {
            Files.deleteIfExists(home.resolve("config/" + relative));
            Poll.until(Duration.ofSeconds(20), this::status, s -> s.path("lastError").isNull());
        }
    }

    private JsonNode status() {
        Reply reply = admin().get("status");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void aPolicyNamingAMissingBackendOrCertificateIs400WithDetails() {
        Reply before = admin().get("apis/pets/operations/list/policies/policy");
        Reply backend = admin().putJson("apis/pets/operations/list/policies/policy", Bodies.policy(
                "<policies><inbound><base /><set-backend-service backend-id=\"no-such-backend\" /></inbound></policies>"));
        Reply certificate = admin().putJson("apis/pets/policies/policy", Bodies.policy(
                "<policies><inbound><base /><authentication-certificate certificate-id=\"no-such-cert\" />"
                        + "</inbound></policies>"));

        for (Reply refused : new Reply[] {backend, certificate}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.json().path("error").path("details").size()).isPositive();
        }
        assertThat(backend.body()).contains("no-such-backend");
        assertThat(certificate.body()).contains("no-such-cert");
        Reply after = admin().get("apis/pets/operations/list/policies/policy");
        assertThat(after.status()).isEqualTo(before.status());
        assertThat(after.body()).isEqualTo(before.body());
    }

    @Test
    void deleteRestoresInheritEverything() {
        assertThat(admin().putJson("apis/pets/operations/list/policies/policy", Bodies.policy(policy("op")))
                .status()).isIn(200, 201);

        assertThat(admin().delete("apis/pets/operations/list/policies/policy").status()).isEqualTo(200);

        assertThat(home.resolve("config/apis/pets/operations/list/policy.xml")).doesNotExist();
        assertThat(admin().get("apis/pets/operations/list/policies/policy").status()).isEqualTo(404);
        assertThat(admin().delete("apis/pets/operations/list/policies/policy").status()).isEqualTo(404);
        assertThat(admin().get("apis/pets/operations/list").status()).isEqualTo(200);
    }

    @Test
    void aPolicyOfAMissingScopeIs404AndAStaleIfMatchIs412() {
        Reply missingApi = admin().putJson("apis/no-api/policies/policy", Bodies.policy(policy("x")));
        Reply missingOperation = admin().putJson("apis/pets/operations/no-op/policies/policy",
                Bodies.policy(policy("x")));
        assertThat(missingApi.status()).as(missingApi.toString()).isEqualTo(404);
        assertThat(missingOperation.status()).as(missingOperation.toString()).isEqualTo(404);
        assertThat(home.resolve("config/apis/no-api")).doesNotExist();

        String etag = admin().putJson("apis/pets/policies/policy", Bodies.policy(policy("v1"))).etag();
        assertThat(admin().putJson("apis/pets/policies/policy", Bodies.policy(policy("v2")), "If-Match", "\"x\"")
                .status()).isEqualTo(412);
        assertThat(admin().putJson("apis/pets/policies/policy", Bodies.policy(policy("v2")), "If-Match", etag)
                .status()).isEqualTo(200);
        assertThat(admin().delete("apis/pets/policies/policy", "If-Match", etag).status()).isEqualTo(412);
    }

    @Test
    void anUnknownFormatIs400() {
        Reply reply = admin().putJson("policies/policy",
                Map.of("properties", Map.of("format", "xml-link", "value", "https://x")));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").path("details").get(0).path("target").asText())
                .isEqualTo("properties.format");
    }
}
