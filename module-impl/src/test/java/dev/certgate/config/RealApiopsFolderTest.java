package dev.certgate.config;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: Microsoft's APIOps sample extract ({@code ../shared/realworld/apiops-sample-artifacts/}, read at build
 * time, never copied into the project), copied as it is into a home's {@code config/}: it loads in one pass and
 * every API is accounted for, served or unavailable with every reason. The lists are what this branch supports:
 * the global policy uses set-variable, ip-filter, named values and a fragment, so every API is unavailable until
 * those are supported; the policy work of issue 17 moves APIs to served and changes these lists.
 */
class RealApiopsFolderTest {
    @TempDir
    Path home;

    static Path sample() {
        return Path.of(System.getProperty("user.dir")).resolve("../../shared/realworld/apiops-sample-artifacts")
                .normalize();
    }

    /** Copies the sample as it is into {@code home}/config. */
    static void copySample(Path home) throws IOException {
        Path sample = sample();
        try (Stream<Path> files = Files.walk(sample)) {
            for (Path source : files.toList()) {
                Path target = home.resolve("config").resolve(sample.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    @Test
    void theSampleLoadsInOnePassWithEveryApiAccountedFor() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(sample()), "the shared real-world data is here");
        copySample(home);
        ConfigService service = new ConfigService(new HomeLayout(home),
                new ConfigService.Settings(false, Duration.ofHours(1), Duration.ofMillis(50)));
        long started = System.nanoTime();
        service.start();
        long millis = (System.nanoTime() - started) / 1_000_000;
        try {
            ConfigStatus status = service.status();
            Map<String, List<String>> reasons = new TreeMap<>();
            status.apis().forEach(api -> reasons.put(api.state() + " " + api.id(), api.errors().stream()
                    .map(e -> e.file() + ":" + e.line() + " " + e.message()).toList()));

            // The global policy's own errors and those of the fragment it includes: every API's effective policy.
            List<String> global = List.of(unknown("config/policy.xml:3", "set-variable"),
                    unknown("config/policy.xml:4", "ip-filter"),
                    unknown("config/policy fragments/policyFragment1/policy.xml:2", "set-variable"),
                    "config/policy fragments/policyFragment1/policy.xml:4 <value>: policy expression (line 4, column"
                            + " 10): not supported");

            assertThat(service.current().apis()).isEmpty();
            assertThat(reasons).containsOnlyKeys("UNAVAILABLE basic-api", "UNAVAILABLE graphql-api",
                    "UNAVAILABLE revisioned-api", "UNAVAILABLE soap-api", "UNAVAILABLE versioned-api-v1",
                    "UNAVAILABLE versioned-api-v2", "UNAVAILABLE wadl-api", "NOT_CURRENT revisioned-api;rev=2");
            assertThat(reasons.get("UNAVAILABLE revisioned-api")).containsExactlyInAnyOrderElementsOf(global);
            assertThat(reasons.get("UNAVAILABLE basic-api")).containsExactlyInAnyOrderElementsOf(with(global,
                    unknown("config/apis/basic-api/operations/get-items/policy.xml:3", "set-query-parameter"),
                    unknown("config/apis/basic-api/operations/get-items/policy.xml:6", "set-variable"),
                    unknown("config/apis/basic-api/operations/create-item/policy.xml:3", "find-and-replace")));
            assertThat(reasons.get("UNAVAILABLE graphql-api")).containsExactlyInAnyOrderElementsOf(with(global,
                    "config/apis/graphql-api/apiInformation.json:5 API \"graphql-api\" is a GraphQL API (type"
                            + " \"graphql\"): Certgate serves HTTP APIs only, so this API is not served",
                    "config/apis/graphql-api/specification.graphql:null API \"graphql-api\" is described by a GraphQL"
                            + " schema: Certgate serves HTTP APIs with operations from OpenAPI (specification.yaml or"
                            + " .json) only, so this API is not served"));
            assertThat(reasons.get("UNAVAILABLE soap-api")).containsExactlyInAnyOrderElementsOf(with(global,
                    "config/apis/soap-api/apiInformation.json:5 API \"soap-api\" is a SOAP API (type \"soap\"):"
                            + " Certgate serves HTTP APIs only, so this API is not served"));
            assertThat(reasons.get("UNAVAILABLE wadl-api")).containsExactlyInAnyOrderElementsOf(with(global,
                    "config/apis/wadl-api/specification.wadl:null API \"wadl-api\" is described by a WADL"
                            + " description: Certgate serves HTTP APIs with operations from OpenAPI (specification.yaml"
                            + " or .json) only, so this API is not served"));
            for (String version : List.of("v1", "v2")) {
                assertThat(reasons.get("UNAVAILABLE versioned-api-" + version)).containsExactlyInAnyOrderElementsOf(
                        with(global, "config/apis/versioned-api-" + version + "/apiInformation.json:6 apiVersionSetId"
                                + " names version set \"versionSet1\", which does not exist in config/version sets"));
            }
            assertThat(reasons.get("NOT_CURRENT revisioned-api;rev=2")).containsExactlyInAnyOrder(
                    unknown("config/apis/revisioned-api;rev=2/policy.xml:4", "set-variable"),
                    unknown("config/apis/revisioned-api;rev=2/operations/get-revision-v2/policy.xml:3",
                            "find-and-replace"));
            assertThat(status.errors()).as("every error once, in one load").hasSize(15);
            assertThat(status.products()).extracting(Product::id).containsExactly("product1", "product2");
            assertThat(service.current().unavailableApis()).as("their calls answer 503").hasSize(7);
            System.out.printf("apiops-sample-artifacts: %d served, %d unavailable, %d errors, loaded in %d ms%n",
                    service.current().apis().size(), service.current().unavailableApis().size(),
                    status.errors().size(), millis);
        } finally {
            service.close();
        }
    }

    private static final String SUPPORTED = "base, authentication-certificate, set-backend-service, set-header,"
            + " rewrite-uri, forward-request, cors, include-fragment";

    private static String unknown(String where, String element) {
        return where + " <" + element + ">: unknown policy <" + element + ">; supported: " + SUPPORTED;
    }

    private static List<String> with(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }
}
