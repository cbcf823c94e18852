package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.ErrorShapes;
import dev.certgate.it.support.Gateway;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, per-API isolation of policy fragments through the real WAR: a home whose APIs include a fragment
 * Certgate refuses (directly or from an operation) starts (it failed with a NullPointerException before), those
 * APIs answer 503 ApiUnavailable with the fragment's errors listed under them in {@code /admin/status}, another API
 * serves through a real mutual-TLS back end, and a fragment broken by a hand edit leaves the API that includes it on
 * its last good configuration.
 */
@ExtendWith(ArquillianExtension.class)
class FragmentIsolationIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static final String BAD = "config/policy fragments/bad/policy.xml";
    /** A policy expression and a policy Certgate does not know, at lines 3 and 5. */
    private static final String BROKEN_FRAGMENT = """
            <fragment>
              <set-header name="X-Path" exists-action="override">
                <value>@(context.Request.Url.Path)</value>
              </set-header>
              <set-variable name="x" value="1" />
            </fragment>
            """;
    private static final String STAMP = "config/policy fragments/stamp/policy.xml";
    private static Path home;
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(FragmentIsolationIT.class);
        HomeFiles.write(home, BAD, BROKEN_FRAGMENT);
        HomeFiles.write(home, "config/apis/included/apiInformation.json",
                HomeFiles.apiInformation("included", "included", BACKEND.url()));
        HomeFiles.write(home, "config/apis/included/policy.xml", includes("bad"));
        HomeFiles.write(home, "config/apis/by-operation/apiInformation.json",
                HomeFiles.apiInformation("by-operation", "by-operation", BACKEND.url()));
        HomeFiles.write(home, "config/apis/by-operation/operations/get/operationInformation.json",
                "{\"properties\": {\"displayName\": \"get\", \"method\": \"GET\", \"urlTemplate\": \"/x\"}}");
        HomeFiles.write(home, "config/apis/by-operation/operations/get/policy.xml", includes("bad"));
        return CertgateWar.forClass(FragmentIsolationIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void configure() {
        if (!configured) {
            // Admin writes that add no error are taken while the broken fragment is on disk.
            setup().trustTestServersAndStoreClient(TestCerts.client("fragment-isolation"));
            setup().apiPresenting("fine", "fine", BACKEND.url() + "/svc", "client");
            configured = true;
        }
    }

    @Test
    void theApisIncludingABrokenFragmentAreUnavailableWithItsErrorsWhileAnotherServes() {
        JsonNode echo = new Caller(base).echo("fine/hello");
        assertThat(echo.path("path").asText()).isEqualTo("/svc/hello");

        for (String call : List.of("included/x", "by-operation/x")) {
            Reply refused = Gateway.get(base, call);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            JsonNode error = ErrorShapes.assertGateway(503, List.of("Content-Type: "
                    + refused.header("Content-Type").orElse("")), refused.body());
            assertThat(error.path("reason").asText()).isEqualTo("ApiUnavailable");
            assertThat(error.path("requestId").asText()).isNotBlank();
            assertThat(refused.body()).doesNotContain("fragment").doesNotContain("set-variable")
                    .doesNotContain("policy.xml");
        }

        JsonNode apis = status().path("apis");
        assertThat(apis.path("served").findValuesAsText("id")).contains("fine");
        for (String api : List.of("included", "by-operation")) {
            assertThat(positions(entry(apis.path("unavailable"), api).path("errors"))).as(api)
                    .containsExactly(BAD + ":3:12", BAD + ":5:3");
        }
    }

    @Test
    void aFragmentBrokenByAHandEditLeavesTheApiIncludingItOnItsLastGoodConfiguration() {
        HomeFiles.write(home, STAMP, stamp("one"));
        setup().api("steady", "steady", BACKEND.url() + "/svc");
        setup().policy("steady", "<policies><inbound><base /><authentication-certificate certificate-id=\"client\" />"
                + "<include-fragment fragment-id=\"stamp\" /></inbound></policies>");
        assertThat(stamped()).isEqualTo("one");
        long generation = status().path("generation").asLong();

        try {
            HomeFiles.write(home, STAMP, BROKEN_FRAGMENT);
            JsonNode broken = Poll.until(Duration.ofSeconds(20), this::status,
                    s -> entry(s.path("apis").path("served"), "steady").path("lastGood").asBoolean());

            assertThat(broken.path("generation").asLong()).as("nothing served changed").isEqualTo(generation);
            assertThat(positions(entry(broken.path("apis").path("served"), "steady").path("errors")))
                    .containsExactly(STAMP + ":3:12", STAMP + ":5:3");
            assertThat(stamped()).isEqualTo("one");
            assertThat(new Caller(base).echo("fine/hello").path("path").asText()).isEqualTo("/svc/hello");
        } finally {
            HomeFiles.write(home, STAMP, stamp("two"));
        }
        Poll.until(Duration.ofSeconds(20), this::stamped, "two"::equals);
    }

    private String stamped() {
        return new Caller(base).echo("steady/x").path("headers").path("X-Stamp").path(0).asText();
    }

    private GatewaySetup setup() {
        return new GatewaySetup(base);
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
        return MissingNode.getInstance();
    }

    /** "file:line:column" of each error. */
    private static List<String> positions(JsonNode errors) {
        List<String> result = new ArrayList<>();
        errors.forEach(e -> result.add(e.path("file").asText() + ":" + e.path("line").asInt() + ":"
                + e.path("column").asInt()));
        return result;
    }

    /** A policy that is nothing but the fragment, as real extractor folders have it. */
    private static String includes(String fragmentId) {
        return "<policies><inbound><base/><include-fragment fragment-id=\"" + fragmentId + "\"/></inbound>"
                + "<backend><base/></backend><outbound><base/></outbound><on-error><base/></on-error></policies>";
    }

    private static String stamp(String value) {
        return "<fragment>\n  <set-header name=\"X-Stamp\" exists-action=\"override\"><value>" + value
                + "</value></set-header>\n</fragment>\n";
    }
}
