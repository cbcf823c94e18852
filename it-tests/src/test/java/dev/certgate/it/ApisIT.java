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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5 over real HTTP: /admin/apis and their operations, success and refusal paths; issue 15 item 9: a property
 * nobody defines is refused naming the closest known one, and APIM's properties are kept and listed as not used.
 */
@ExtendWith(ArquillianExtension.class)
class ApisIT {
    private static final String POLICY_V1 = "<policies><inbound><base /><set-header name=\"X-Version\""
            + " exists-action=\"override\"><value>1</value></set-header></inbound></policies>";
    private static final String POLICY_V2 = POLICY_V1.replace("<value>1</value>", "<value>2</value>");
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(ApisIT.class);
        return CertgateWar.forClass(ApisIT.class);
    }

    private AdminClient admin() {
        return AdminClient.admin(base);
    }

    @Test
    void createsReadsReplacesListsAndDeletesAnApi() throws Exception {
        Reply created = admin().putJson("apis/orders", Bodies.api("orders", "https://orders.example"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("id").asText()).isEqualTo("/apis/orders");
        assertThat(created.json().path("name").asText()).isEqualTo("orders");
        assertThat(created.json().path("properties").path("path").asText()).isEqualTo("orders");
        assertThat(created.json().path("properties").path("serviceUrl").asText()).isEqualTo("https://orders.example");

        Reply read = admin().get("apis/orders");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.etag()).isEqualTo(created.etag());
        JsonNode onDisk = new ObjectMapper().readTree(home.resolve("config/apis/orders/apiInformation.json").toFile());
        assertThat(onDisk.path("properties").path("displayName").asText()).isEqualTo("API orders");
        assertThat(onDisk.has("id")).as("only properties are stored").isFalse();

        Reply replaced = admin().putJson("apis/orders", Bodies.api("orders", "https://orders-v2.example"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.etag()).isNotEqualTo(created.etag());
        assertThat(admin().get("apis/orders").json().path("properties").path("serviceUrl").asText())
                .isEqualTo("https://orders-v2.example");

        JsonNode list = admin().get("apis").json();
        assertThat(list.path("count").asInt()).isEqualTo(list.path("value").size());
        assertThat(list.path("value").findValuesAsText("name")).contains("orders");

        assertThat(admin().delete("apis/orders").status()).isEqualTo(200);
        assertThat(admin().get("apis/orders").status()).isEqualTo(404);
        assertThat(admin().delete("apis/orders").status()).isEqualTo(404);
    }

    @Test
    void deletingAnApiRemovesItsFolderWithOperationsAndPolicies() {
        assertThat(admin().putJson("apis/gone", Bodies.api("gone", "https://gone.example")).status()).isEqualTo(201);
        assertThat(admin().putJson("apis/gone/operations/list", Bodies.operation("GET", "/items")).status())
                .isEqualTo(201);
        assertThat(admin().putJson("apis/gone/policies/policy", Bodies.policy("<policies><inbound><base />"
                + "<set-header name=\"X-Api\" exists-action=\"override\"><value>gone</value></set-header>"
                + "</inbound></policies>")).status()).isEqualTo(201);
        assertThat(home.resolve("config/apis/gone/operations/list/operationInformation.json")).exists();

        assertThat(admin().delete("apis/gone").status()).isEqualTo(200);

        assertThat(home.resolve("config/apis/gone")).doesNotExist();
        assertThat(admin().get("apis/gone/operations/list").status()).isEqualTo(404);
        assertThat(admin().get("apis/gone/policies/policy").status()).isEqualTo(404);
    }

    @Test
    void operationsLiveUnderTheirApi() {
        assertThat(admin().putJson("apis/shop", Bodies.api("shop", "https://shop.example")).status()).isEqualTo(201);

        Reply created = admin().putJson("apis/shop/operations/get-order", Bodies.operation("GET", "/orders/{id}"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("id").asText()).isEqualTo("/apis/shop/operations/get-order");
        assertThat(created.json().path("properties").path("urlTemplate").asText()).isEqualTo("/orders/{id}");
        Reply read = admin().get("apis/shop/operations/get-order");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.etag()).isEqualTo(created.etag());
        assertThat(admin().putJson("apis/shop/operations/get-order", Bodies.operation("GET", "/orders/{orderId}"))
                .status()).isEqualTo(200);
        JsonNode list = admin().get("apis/shop/operations").json();
        assertThat(list.path("count").asInt()).isEqualTo(1);
        assertThat(list.path("value").get(0).path("name").asText()).isEqualTo("get-order");

        Reply stale = admin().delete("apis/shop/operations/get-order", "If-Match", created.etag());
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(admin().delete("apis/shop/operations/get-order").status()).isEqualTo(200);
        assertThat(admin().get("apis/shop/operations/get-order").status()).isEqualTo(404);
        assertThat(home.resolve("config/apis/shop/operations/get-order")).doesNotExist();
    }

    @Test
    void anOperationOfAMissingApiIs404AndWritesNothing() {
        Reply reply = admin().putJson("apis/nowhere/operations/op", Bodies.operation("GET", "/x"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("ResourceNotFound");
        assertThat(home.resolve("config/apis/nowhere")).doesNotExist();
        assertThat(admin().get("apis/nowhere/operations").status()).isEqualTo(404);
    }

    @Test
    void aDuplicatePathIs400WithDetailsAndNothingWritten() {
        assertThat(admin().putJson("apis/first", Bodies.api("same", "https://a.example")).status()).isEqualTo(201);

        Reply duplicate = admin().putJson("apis/second", Bodies.api("same", "https://b.example"));

        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(400);
        assertThat(duplicate.errorCode()).isEqualTo("ValidationError");
        assertThat(duplicate.json().path("error").path("details").size()).isPositive();
        assertThat(home.resolve("config/apis/second")).doesNotExist();
        assertThat(admin().get("apis/second").status()).isEqualTo(404);
    }

    @Test
    void aPathNoRequestCouldReachIs400AndWritesNothing() {
        for (String path : new String[] {"admin/tools", "x/../y", "a b", "%61dmin", "%2e%2e/x", "a/%2E", "a%2Fb",
                "a%00b"}) {
            Reply reply = admin().putJson("apis/unreachable", Bodies.api(path, "https://a.example"));

            assertThat(reply.status()).as(path + ": " + reply).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("ValidationError");
            assertThat(reply.body()).contains("properties.path");
        }
        assertThat(home.resolve("config/apis/unreachable")).doesNotExist();
    }

    @Test
    void badBodiesAre400WithWhatIsWrong() {
        Reply noProperties = admin().putJson("apis/bad", Map.of("displayName", "x"));
        Reply malformed = admin().put("apis/bad", "application/json",
                "{\n  \"properties\": {\n    \"path\": \"x\",\n  ]\n}".getBytes(StandardCharsets.UTF_8));
        Reply wrongType = admin().putJson("apis/bad", "{\"properties\": {\"path\": \"x\", \"protocols\": {\"a\": 1}}}");
        Reply empty = admin().put("apis/bad", "application/json", new byte[0]);

        assertThat(noProperties.status()).as(noProperties.toString()).isEqualTo(400);
        assertThat(noProperties.json().path("error").path("details").get(0).path("target").asText())
                .isEqualTo("properties");
        assertThat(malformed.status()).as(malformed.toString()).isEqualTo(400);
        assertThat(malformed.json().path("error").path("message").asText()).contains("line 4");
        assertThat(wrongType.status()).as(wrongType.toString()).isEqualTo(400);
        assertThat(wrongType.json().path("error").path("message").asText()).contains("properties.protocols");
        assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
        for (Reply reply : new Reply[] {noProperties, malformed, wrongType, empty}) {
            assertThat(reply.errorCode()).isEqualTo("ValidationError");
            assertThat(reply.body()).doesNotContain("Exception");
        }
        assertThat(home.resolve("config/apis/bad")).doesNotExist();
    }

    @Test
    void aMisspeltPropertyIs400NamingItAndTheClosestKnownNameAndNothingIsWritten() {
        Reply misspelt = admin().putJson("apis/typo", "{\"properties\": {\"displayName\": \"Typo\", \"path\": \"typo\","
                + " \"serviceURL\": \"https://typo.example\"}}");
        Reply operation = admin().putJson("apis/typo/operations/get", "{\"properties\": {\"method\": \"GET\","
                + " \"urlTemplate\": \"/x\", \"urlTemplat\": \"/y\", \"colour\": \"red\"}}");

        assertThat(misspelt.status()).as(misspelt.toString()).isEqualTo(400);
        assertThat(misspelt.errorCode()).isEqualTo("ValidationError");
        assertThat(misspelt.json().path("error").path("message").asText())
                .isEqualTo("Unknown property 'serviceURL' in apis/typo: did you mean 'serviceUrl'?");
        assertThat(misspelt.json().path("error").path("details").get(0).path("target").asText())
                .isEqualTo("properties.serviceURL");
        assertThat(home.resolve("config/apis/typo")).doesNotExist();
        assertThat(admin().putJson("apis/typo", Bodies.api("typo", "https://typo.example")).status()).isEqualTo(201);
        assertThat(operation.status()).as(operation.toString()).isIn(400, 404);
        Reply operationAgain = admin().putJson("apis/typo/operations/get", "{\"properties\": {\"method\": \"GET\","
                + " \"urlTemplate\": \"/x\", \"urlTemplat\": \"/y\", \"colour\": \"red\"}}");
        assertThat(operationAgain.status()).as(operationAgain.toString()).isEqualTo(400);
        assertThat(operationAgain.json().path("error").path("message").asText())
                .startsWith("Unknown property '").endsWith(" (and 1 more)");
        assertThat(operationAgain.json().path("error").path("details").findValuesAsText("target"))
                .containsExactlyInAnyOrder("properties.urlTemplat", "properties.colour");
        assertThat(operationAgain.json().path("error").path("details").findValuesAsText("message")).contains(
                "unknown property 'urlTemplat': did you mean 'urlTemplate'?",
                "unknown property 'colour': neither Certgate nor APIM defines it for an operation; Certgate reads "
                        + "displayName, method, urlTemplate");
        assertThat(home.resolve("config/apis/typo/operations")).doesNotExist();
    }

    @Test
    void apimPropertiesAreKeptThroughWritesAndListedAsNotUsedInTheStatus() throws Exception {
        Path file = home.resolve("config/apis/kept/apiInformation.json");
        Reply created = admin().putJson("apis/kept", "{\"properties\": {\"displayName\": \"Kept\", \"path\": \"kept\","
                + " \"serviceUrl\": \"https://kept.example\", \"subscriptionRequired\": true, \"apiRevision\": \"1\","
                + " \"authenticationSettings\": {\"oAuth2\": {\"authorizationServerId\": \"as1\"}},"
                + " \"description\": \"<b>kept</b>\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode onDisk = new ObjectMapper().readTree(file.toFile()).path("properties");
        assertThat(onDisk.path("subscriptionRequired").asBoolean()).isTrue();
        assertThat(onDisk.path("authenticationSettings").path("oAuth2").path("authorizationServerId").asText())
                .isEqualTo("as1");
        assertThat(onDisk.path("description").asText()).isEqualTo("<b>kept</b>");

        // Read, then write back what was read (a client that edits one field): nothing APIM-only is lost.
        JsonNode read = admin().get("apis/kept").json();
        assertThat(read.path("properties").path("apiRevision").asText()).isEqualTo("1");
        ((com.fasterxml.jackson.databind.node.ObjectNode) read.path("properties")).put("serviceUrl", "https://v2.example");
        Reply replaced = admin().putJson("apis/kept", read.toString());
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        JsonNode after = new ObjectMapper().readTree(file.toFile()).path("properties");
        assertThat(after.path("serviceUrl").asText()).isEqualTo("https://v2.example");
        assertThat(after.path("subscriptionRequired").asBoolean()).isTrue();
        assertThat(after.path("authenticationSettings")).isEqualTo(onDisk.path("authenticationSettings"));

        JsonNode warnings = admin().get("status").json().path("warnings");
        assertThat(warnings.findValuesAsText("file")).contains("config/apis/kept/apiInformation.json");
        for (JsonNode warning : warnings) {
            if (warning.path("file").asText().equals("config/apis/kept/apiInformation.json")) {
                assertThat(warning.path("code").asText()).isEqualTo("NotUsedByCertgate");
                assertThat(warning.path("message").asText()).isEqualTo(
                        "not used by Certgate (kept as written): authenticationSettings, subscriptionRequired");
                assertThat(warning.path("line").asInt()).isPositive();
            }
        }
    }

    @Test
    void jerseysOwnRefusalsUseTheArmShape() {
        Reply unsupported = admin().put("apis/x", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        Reply noSuchResource = admin().get("nothing-here");
        Reply notAllowed = admin().send("POST", "apis/x", "application/json", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(unsupported.status()).isEqualTo(415);
        assertThat(unsupported.errorCode()).isEqualTo("UnsupportedMediaType");
        assertThat(noSuchResource.status()).isEqualTo(404);
        assertThat(noSuchResource.errorCode()).isEqualTo("ResourceNotFound");
        assertThat(notAllowed.status()).isEqualTo(405);
        assertThat(notAllowed.errorCode()).isEqualTo("MethodNotAllowed");
        assertThat(notAllowed.header("Allow")).isPresent();
    }

    @Test
    void ifMatchIsHonouredOnApis() {
        String etag = admin().putJson("apis/matched", Bodies.api("matched", "https://m.example")).etag();

        Reply stale = admin().putJson("apis/matched", Bodies.api("matched", "https://other.example"),
                "If-Match", "\"not-the-etag\"");
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(stale.errorCode()).isEqualTo("PreconditionFailed");
        assertThat(admin().get("apis/matched").json().path("properties").path("serviceUrl").asText())
                .isEqualTo("https://m.example");

        Reply matching = admin().putJson("apis/matched", Bodies.api("matched", "https://other.example"),
                "If-Match", etag);
        assertThat(matching.status()).as(matching.toString()).isEqualTo(200);
        assertThat(admin().delete("apis/matched", "If-Match", etag).status()).isEqualTo(412);
        assertThat(admin().delete("apis/matched", "If-Match", matching.etag()).status()).isEqualTo(200);
    }

    /** A script that must not overwrite what someone else made sends {@code If-None-Match: *}. */
    @Test
    void ifNoneMatchStarCreatesAnApiOrItsPolicyButNeverReplacesThem() {
        Reply created = admin().putJson("apis/once", Bodies.api("once", "https://first.example"),
                "If-None-Match", "*");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Reply policy = admin().putJson("apis/once/policies/policy", Bodies.policy(POLICY_V1), "If-None-Match", "*");
        assertThat(policy.status()).as(policy.toString()).isEqualTo(201);

        Reply api = admin().putJson("apis/once", Bodies.api("once", "https://second.example"),
                "If-None-Match", "*");
        Reply policyAgain = admin().putJson("apis/once/policies/policy", Bodies.policy(POLICY_V2),
                "If-None-Match", "*");
        Reply listed = admin().putJson("apis/once", Bodies.api("once", "https://second.example"),
                "If-None-Match", "\"other\", W/" + created.etag());

        for (Reply refused : List.of(api, policyAgain, listed)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(412);
            assertThat(refused.errorCode()).isEqualTo("PreconditionFailed");
        }
        assertThat(admin().get("apis/once").json().path("properties").path("serviceUrl").asText())
                .isEqualTo("https://first.example");
        assertThat(admin().get("apis/once/policies/policy").etag()).isEqualTo(policy.etag());
        Reply otherVersion = admin().putJson("apis/once", Bodies.api("once", "https://second.example"),
                "If-None-Match", "\"other\"");
        assertThat(otherVersion.status()).as(otherVersion.toString()).isEqualTo(200);
    }

    /**
     * Another instance sharing the home (here: the file replaced on disk, as its write does) changes an API: a GET
     * before this instance's watch noticed answered the old body with the new file's ETag, and an If-Match update
     * built from it overwrote the other instance's change. The read now loads the changed disk first.
     */
    @Test
    void aReadRightAfterAnotherInstancesWriteShowsThatWriteWithItsEtag() throws Exception {
        admin().putJson("apis/shared", Bodies.api("shared", "https://first.example"));
        Path file = home.resolve("config/apis/shared/apiInformation.json");
        for (int round = 0; round < 5; round++) {
            String other = "https://other-instance-" + round + ".example";
            Path staged = file.resolveSibling("apiInformation.json.other-instance");
            Files.writeString(staged, new ObjectMapper().writeValueAsString(Bodies.api("shared", other)));
            Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            Reply read = admin().get("apis/shared");

            assertThat(read.json().path("properties").path("serviceUrl").asText()).as("round " + round)
                    .isEqualTo(other);
            Reply update = admin().putJson("apis/shared", Bodies.api("shared", "https://this-instance.example"),
                    "If-Match", read.etag());
            assertThat(update.status()).as(update.toString()).isEqualTo(200);
        }
    }

    @Test
    void idsOutsideThePatternNeverReachTheDisk() throws Exception {
        for (String id : new String[] {"..%2F..%2Fescaped", "%2E%2E", ".hidden", "a%2Fb", "x".repeat(81)}) {
            Reply put = admin().putJson("apis/" + id, Bodies.api("escape", "https://e.example"));
            assertThat(put.status()).as(id + " -> " + put).isIn(400, 404);
            Reply operation = admin().putJson("apis/ok/operations/" + id, Bodies.operation("GET", "/"));
            assertThat(operation.status()).as(id + " -> " + operation).isIn(400, 404);
        }
        try (var files = Files.walk(home.getParent(), 4)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("escaped", ".hidden");
        }
    }
}
