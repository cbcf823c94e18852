package dev.certgate.config;

import dev.certgate.api.policy.SetHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The APIOps extractor's layout as it is: operations from the specification, API kinds Certgate does not serve. */
class ApimLayoutTest {
    private static final String HEADER_POLICY = "<policies><inbound><base /><set-header name=\"X-Op\">"
            + "<value>by-folder</value></set-header></inbound></policies>";

    @TempDir
    Path dir;
    private TestHome home;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() {
        home = new TestHome(dir);
        loader = new ConfigLoader(home.layout);
    }

    @Test
    void operationsComeFromTheSpecificationWithThePolicyOfTheirFolder() {
        home.api("shop", "shop").file("config/apis/shop/specification.yaml", SpecificationsTest.OPENAPI_30)
                .file("config/apis/shop/operations/get-item/policy.xml", HEADER_POLICY);

        LoadResult result = loader.load();

        assertThat(result.errors()).isEmpty();
        ApiConfig shop = result.snapshot().apis().get("shop");
        assertThat(shop.operations()).containsOnlyKeys("get-item", "delete-item", "get-file", "head-health");
        OperationConfig getItem = shop.operations().get("get-item");
        assertThat(getItem.properties().method()).isEqualTo("GET");
        assertThat(getItem.properties().urlTemplate()).isEqualTo("/items/{id}");
        assertThat(getItem.properties().displayName()).isEqualTo("Get an item");
        assertThat(getItem.effectivePolicy().inbound()).singleElement().isInstanceOf(SetHeader.class);
        assertThat(shop.operations().get("delete-item").effectivePolicy().inbound()).isEmpty();
    }

    @Test
    void aSwaggerJsonSpecificationToo() {
        home.api("legacy", "legacy").file("config/apis/legacy/specification.json", SpecificationsTest.SWAGGER_20);

        LoadResult result = loader.load();

        assertThat(result.errors()).isEmpty();
        assertThat(result.snapshot().apis().get("legacy").operations().values())
                .extracting(o -> o.properties().method() + " " + o.properties().urlTemplate())
                .containsExactlyInAnyOrder("GET /{*rest}", "PUT /orders/{orderId}/lines/{line}");
    }

    @Test
    void anInformationFileWinsOverTheSpecificationForItsOperation() {
        home.api("shop", "shop").file("config/apis/shop/specification.yaml", SpecificationsTest.OPENAPI_30)
                .operation("shop", "get-item", "GET", "/items/{id}/v2")
                .operation("shop", "extra", "POST", "/extra");

        LoadResult result = loader.load();

        assertThat(result.errors()).isEmpty();
        ApiConfig shop = result.snapshot().apis().get("shop");
        assertThat(shop.operations().get("get-item").properties().urlTemplate()).isEqualTo("/items/{id}/v2");
        assertThat(shop.operations()).containsKeys("extra", "delete-item");
    }

    @Test
    void aPolicyFolderTheSpecificationDoesNotNameIsAnError() {
        home.api("shop", "shop").file("config/apis/shop/specification.yaml", SpecificationsTest.OPENAPI_30)
                .file("config/apis/shop/operations/gone/policy.xml", HEADER_POLICY);

        LoadResult result = loader.load();

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("config/apis/shop/operations/gone");
            assertThat(e.message()).isEqualTo("missing operationInformation.json, and specification.yaml has no"
                    + " operation with operationId \"gone\"");
        });
        assertThat(result.apiErrors()).containsOnlyKeys("shop");
    }

    @Test
    void aCatchAllThatIsNotTheLastSegmentIsAnError() {
        home.api("a", "a").operation("a", "mid", "GET", "/{*path}/meta").operation("a", "glued", "GET", "/x{*y}")
                .operation("a", "fine", "GET", "/files/{*path}");

        assertThat(loader.load().errors()).extracting(ConfigError::file).containsExactlyInAnyOrder(
                "config/apis/a/operations/mid/operationInformation.json",
                "config/apis/a/operations/glued/operationInformation.json");
    }

    @Test
    void graphQlSoapAndWadlApisAreReportedByNameAndUnavailable() {
        home.file("config/apis/gql/apiInformation.json", TestHome.envelope(Map.of("path", "gql", "type", "graphql")))
                .file("config/apis/gql/specification.graphql", "type Query { a: String }")
                .file("config/apis/soap/apiInformation.json", TestHome.envelope(Map.of("path", "soap", "apiType", "soap")))
                .api("wadl", "wadl").file("config/apis/wadl/specification.wadl", "<application/>")
                .file("config/apis/http/apiInformation.json", TestHome.envelope(Map.of("path", "http", "type", "http")));

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(e -> e.file() + " " + e.message()).containsExactlyInAnyOrder(
                "config/apis/gql/apiInformation.json API \"gql\" is a GraphQL API (type \"graphql\"): Certgate serves"
                        + " HTTP APIs only, so this API is not served",
                "config/apis/gql/specification.graphql API \"gql\" is described by a GraphQL schema: Certgate serves"
                        + " HTTP APIs with operations from OpenAPI (specification.yaml or .json) only, so this API is"
                        + " not served",
                "config/apis/soap/apiInformation.json API \"soap\" is a SOAP API (apiType \"soap\"): Certgate serves"
                        + " HTTP APIs only, so this API is not served",
                "config/apis/wadl/specification.wadl API \"wadl\" is described by a WADL description: Certgate"
                        + " serves HTTP APIs with operations from OpenAPI (specification.yaml or .json) only, so this"
                        + " API is not served");
        assertThat(result.errors()).filteredOn(e -> e.file().endsWith("gql/apiInformation.json")).singleElement()
                .satisfies(e -> assertThat(e.line()).isNotNull());
        assertThat(result.snapshot().apis()).containsOnlyKeys("http");
        assertThat(result.snapshot().unavailableApis()).containsOnlyKeys("gql", "soap", "wadl");
        assertThat(result.warnings()).as("type is read, so not reported as not used").isEmpty();
    }
}
