package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: the APIOps extractor's layout through the real WAR: revisions ({@code <api>;rev=<n>}), and version sets
 * whose versions share a path and are told apart by path segment or by header.
 */
@ExtendWith(ArquillianExtension.class)
class ApimLayoutIT {
    private static final EchoBackend BACKEND = EchoBackend.start();
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(ApimLayoutIT.class);
        HomeFiles.write(home, "config/apis/orders/apiInformation.json", revision("1", true));
        HomeFiles.write(home, "config/apis/orders/policy.xml", rewriteTo("/rev1"));
        HomeFiles.write(home, "config/apis/orders;rev=2/apiInformation.json", revision("2", false));
        HomeFiles.write(home, "config/apis/orders;rev=2/policy.xml", rewriteTo("/rev2"));
        HomeFiles.write(home, "config/version sets/by-segment/versionSetInformation.json",
                "{\"properties\": {\"displayName\": \"catalog\", \"versioningScheme\": \"Segment\"}}");
        HomeFiles.write(home, "config/version sets/by-header/versionSetInformation.json", "{\"properties\": {"
                + "\"displayName\": \"stock\", \"versioningScheme\": \"Header\", \"versionHeaderName\": \"Api-Version\"}}");
        for (String version : new String[] {"v1", "v2"}) {
            HomeFiles.write(home, "config/apis/catalog-" + version + "/apiInformation.json",
                    version("catalog", version, "by-segment"));
            HomeFiles.write(home, "config/apis/catalog-" + version + "/policy.xml", rewriteTo("/catalog-" + version));
            HomeFiles.write(home, "config/apis/stock-" + version + "/apiInformation.json",
                    version("stock", version, "by-header"));
            HomeFiles.write(home, "config/apis/stock-" + version + "/policy.xml", rewriteTo("/stock-" + version));
        }
        return CertgateWar.forClass(ApimLayoutIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void theCurrentRevisionServesAndTheOtherIsListedUntilItBecomesCurrent() {
        assertThat(Gateway.get(base, "orders/x").body()).isEqualTo("echo /rev1");
        JsonNode apis = status().path("apis");
        assertThat(apis.path("served").findValuesAsText("id")).contains("orders");
        assertThat(apis.path("revisions").findValuesAsText("id")).containsExactly("orders;rev=2");

        HomeFiles.write(home, "config/apis/orders;rev=2/apiInformation.json", revision("2", true));
        HomeFiles.write(home, "config/apis/orders/apiInformation.json", revision("1", false));
        Poll.until(Duration.ofSeconds(20), () -> Gateway.get(base, "orders/x").body(), "echo /rev2"::equals);

        assertThat(status().path("apis").path("revisions").findValuesAsText("id")).containsExactly("orders");
    }

    @Test
    void theAdminApiRefusesToChangeAnApiWithRevisionsAndWritesNothing() throws Exception {
        AdminClient admin = AdminClient.admin(base);
        byte[] plain = Files.readAllBytes(home.resolve("config/apis/orders/apiInformation.json"));
        byte[] revision = Files.readAllBytes(home.resolve("config/apis/orders;rev=2/apiInformation.json"));

        List<Reply> replies = List.of(
                admin.putJson("apis/orders", Map.of("properties", Map.of("path", "orders", "serviceUrl", BACKEND.url()))),
                admin.delete("apis/orders"),
                admin.put("apis/orders/policies/policy", "application/xml",
                        "<policies><inbound><base /></inbound></policies>".getBytes(StandardCharsets.UTF_8)),
                admin.delete("apis/orders/policies/policy"),
                admin.putJson("apis/orders/operations/op", Map.of("properties",
                        Map.of("displayName", "op", "method", "GET", "urlTemplate", "/op"))));

        for (Reply reply : replies) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
            assertThat(reply.errorCode()).isEqualTo("Conflict");
            assertThat(reply.body()).contains("orders;rev=2");
        }
        assertThat(home.resolve("config/apis/orders/apiInformation.json")).hasBinaryContent(plain);
        assertThat(home.resolve("config/apis/orders;rev=2/apiInformation.json")).hasBinaryContent(revision);
        assertThat(home.resolve("config/apis/orders/operations/op")).doesNotExist();
    }

    @Test
    void twoVersionsBySegment() {
        assertThat(Gateway.get(base, "catalog/v1/x").body()).isEqualTo("echo /catalog-v1");
        assertThat(Gateway.get(base, "catalog/v2/x").body()).isEqualTo("echo /catalog-v2");
        assertThat(Gateway.get(base, "catalog/v3/x").status()).isEqualTo(404);
        assertThat(Gateway.get(base, "catalog/x").status()).as("the set has no original version").isEqualTo(404);
    }

    @Test
    void twoVersionsByHeader() throws Exception {
        assertThat(withHeader("stock/x", "v1").body()).isEqualTo("echo /stock-v1");
        assertThat(withHeader("stock/x", "v2").body()).isEqualTo("echo /stock-v2");
        assertThat(withHeader("stock/x", "v3").statusCode()).isEqualTo(404);
        assertThat(Gateway.get(base, "stock/x").status()).isEqualTo(404);
    }

    private HttpResponse<String> withHeader(String path, String version) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.toURI().resolve(path)).header("Api-Version", version)
                .timeout(Duration.ofSeconds(30)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String version(String path, String version, String set) {
        return "{\"properties\": {\"displayName\": \"" + path + "\", \"path\": \"" + path + "\", \"serviceUrl\": \""
                + BACKEND.url() + "\", \"apiVersion\": \"" + version + "\", \"apiVersionSetId\": \"/apiVersionSets/"
                + set + "\"}}";
    }

    private JsonNode status() {
        return AdminClient.admin(base).get("status").json();
    }

    private static String revision(String number, boolean current) {
        return "{\"properties\": {\"displayName\": \"orders\", \"path\": \"orders\", \"serviceUrl\": \"" + BACKEND.url()
                + "\", \"apiRevision\": \"" + number + "\", \"isCurrent\": " + current + "}}";
    }

    private static String rewriteTo(String template) {
        return HomeFiles.inboundPolicy("<rewrite-uri template=\"" + template + "\" />");
    }
}
