package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Gateway;
import dev.certgate.it.support.Reply;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: Microsoft's APIOps sample extract ({@code ../shared/realworld/apiops-sample-artifacts/}, read at build
 * time, never copied into the project), copied as it is into the home of the real WAR: it loads in one pass, and
 * {@code /admin/status} accounts for every API. On this branch every API is unavailable (the global policy uses
 * set-variable, ip-filter, named values and a fragment), so its calls answer 503; the policy work of issue 17
 * moves APIs to served and changes these lists.
 */
@ExtendWith(ArquillianExtension.class)
class RealApiopsFolderIT {
    static final Path SAMPLE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
            .resolve("../../shared/realworld/apiops-sample-artifacts").normalize();

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Path home = CertgateWar.freshHome(RealApiopsFolderIT.class);
        if (Files.isDirectory(SAMPLE)) {
            copy(SAMPLE, home.resolve("config"));
        }
        return CertgateWar.forClass(RealApiopsFolderIT.class);
    }

    @Test
    void theSampleLoadsInOnePassAndEveryApiIsAccountedFor() {
        Assumptions.assumeTrue(Files.isDirectory(SAMPLE), "the shared real-world data is here");
        JsonNode status = AdminClient.admin(base).get("status").json();
        JsonNode apis = status.path("apis");

        assertThat(apis.path("served").findValuesAsText("id")).isEmpty();
        assertThat(apis.path("unavailable").findValuesAsText("id")).containsExactly("basic-api", "graphql-api",
                "revisioned-api", "soap-api", "versioned-api-v1", "versioned-api-v2", "wadl-api");
        assertThat(apis.path("revisions").findValuesAsText("id")).containsExactly("revisioned-api;rev=2");
        for (JsonNode api : apis.path("unavailable")) {
            assertThat(files(api.path("errors"))).as(api.path("id").asText()).contains("config/policy.xml");
        }
        assertThat(status.path("errors").size()).isEqualTo(15);
        assertThat(status.path("products").findValuesAsText("id")).containsExactly("product1", "product2");

        Reply call = Gateway.get(base, "basic-api/items");
        assertThat(call.status()).as(call.toString()).isEqualTo(503);
        assertThat(call.json().path("reason").asText()).isEqualTo("ApiUnavailable");
        assertThat(Gateway.get(base, "revisioned-api/revision").status()).isEqualTo(503);
        assertThat(Gateway.get(base, "nothing-here/x").status()).isEqualTo(404);
    }

    private static List<String> files(JsonNode errors) {
        List<String> files = new ArrayList<>();
        errors.forEach(e -> files.add(e.path("file").asText()));
        return files;
    }

    static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
