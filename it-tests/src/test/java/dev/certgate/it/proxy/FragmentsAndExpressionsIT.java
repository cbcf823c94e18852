package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
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

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17 through the real WAR: policy fragments included where a document says (twice over in one document),
 * a fragment cycle refused naming it, and APIM's raw XML with an unescaped expression reported as the expression
 * at its line, not as XML that is not well-formed.
 */
@ExtendWith(ArquillianExtension.class)
class FragmentsAndExpressionsIT {
    private static final String RAW_XML = "application/vnd.ms-azure-apim.policy.raw+xml";
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static Path home;
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(FragmentsAndExpressionsIT.class);
        return CertgateWar.forClass(FragmentsAndExpressionsIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void configure() {
        if (!configured) {
            setup().trustTestServersAndStoreClient(TestCerts.client("fragments"));
            setup().api("echo", "echo", BACKEND.url() + "/svc");
            configured = true;
        }
    }

    private GatewaySetup setup() {
        return new GatewaySetup(base);
    }

    @Test
    void aFragmentIncludedTwiceActsInBothPlacesWithItsNamedValues() {
        Reply named = setup().admin().putJson("namedValues/environment", Map.of("properties", Map.of(
                "displayName", "environment", "value", "staging")));
        assertThat(named.status()).as(named.toString()).isIn(200, 201);
        HomeFiles.write(home, "config/policy fragments/stamp/policy.xml", """
                <!-- as the extractor writes it -->
                <fragment>
                	<set-header name="X-Stamp" exists-action="override">
                		<value>{{environment}}</value>
                	</set-header>
                </fragment>
                """);
        HomeFiles.write(home, "config/policy fragments/stamp/policyFragmentInformation.json",
                "{\"properties\": {\"description\": \"Stamps requests and answers.\"}}");

        setup().policy("echo", """
                <policies>
                  <inbound>
                    <base />
                    <authentication-certificate certificate-id="client" />
                    <include-fragment fragment-id="stamp" />
                  </inbound>
                  <backend><base /></backend>
                  <outbound>
                    <base />
                    <include-fragment fragment-id="stamp" />
                  </outbound>
                </policies>
                """);

        HttpResponse<String> response = new Caller(base).get("echo/stamped");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Caller.json(response.body()).path("headers").path("X-Stamp").get(0).asText()).isEqualTo("staging");
        assertThat(response.headers().allValues("X-Stamp")).containsExactly("staging");
    }

    @Test
    void aFragmentCycleIsRefusedNamingTheCycleAndTheFileStaysAsItWas() {
        HomeFiles.write(home, "config/policy fragments/ping/policy.xml",
                "<fragment>\n  <include-fragment fragment-id=\"pong\" />\n</fragment>\n");
        HomeFiles.write(home, "config/policy fragments/pong/policy.xml",
                "<fragment>\n  <set-header name=\"X-Pong\" />\n  <include-fragment fragment-id=\"ping\" />\n</fragment>\n");

        Reply refused = setup().admin().put("apis/echo/policies/policy", RAW_XML,
                "<policies><inbound><base /><include-fragment fragment-id=\"ping\" /></inbound></policies>"
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("error").path("message").asText()).isEqualTo("Invalid policy at line 3,"
                + " column 3: <include-fragment>: policy fragments include each other in a cycle: ping → pong → ping;"
                + " a fragment cannot include itself, directly or through others");
        assertThat(refused.json().path("error").path("details").get(0).path("message").asText())
                .startsWith("config/policy fragments/pong/policy.xml:3:3: ");
        assertThat(setup().admin().get("apis/echo/policies/policy").body()).doesNotContain("ping");
    }

    @Test
    void anUnescapedExpressionIsReportedAtItsLineOverTheApiAndInAFile() {
        String raw = """
                <policies>
                  <inbound>
                    <base />
                    <set-header name="X-Region" exists-action="override">
                      <value>@(context.Request.Headers.GetValueOrDefault("X-Region", "eu") == "us" && 1 < 2 ? "us" : "eu")</value>
                    </set-header>
                  </inbound>
                </policies>
                """;

        Reply refused = setup().admin().put("apis/echo/policies/policy", RAW_XML, raw.getBytes(StandardCharsets.UTF_8));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("error").path("message").asText()).isEqualTo("Invalid policy at line 5,"
                + " column 14: <value>: policy expression (line 5, column 14): not supported");

        HomeFiles.write(home, "config/apis/echo/operations/exprs/operationInformation.json",
                "{\"properties\": {\"displayName\": \"exprs\", \"method\": \"GET\", \"urlTemplate\": \"/exprs\"}}");
        HomeFiles.write(home, "config/apis/echo/operations/exprs/policy.xml", raw);
        try {
            JsonNode status = Poll.until(Duration.ofSeconds(20), () -> setup().admin().get("status").json(),
                    s -> s.path("errors").toString().contains("exprs/policy.xml"));
            JsonNode error = StreamSupport.stream(status.path("errors").spliterator(), false)
                    .filter(e -> e.path("file").asText().endsWith("exprs/policy.xml")).findFirst().orElseThrow();
            assertThat(List.of(error.path("line").asInt(), error.path("column").asInt())).containsExactly(5, 14);
            assertThat(error.path("message").asText()).isEqualTo("<value>: policy expression (line 5, column 14): not"
                    + " supported").doesNotContain("well-formed");
        } finally {
            HomeFiles.delete(home, "config/apis/echo/operations/exprs/policy.xml");
            HomeFiles.delete(home, "config/apis/echo/operations/exprs/operationInformation.json");
        }
    }
}
