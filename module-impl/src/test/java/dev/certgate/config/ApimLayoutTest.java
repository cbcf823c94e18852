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

    @Test
    void theRevisionThatSaysIsCurrentServesAndTheOthersAreCheckedAndListed() {
        home.file("config/apis/orders/apiInformation.json", TestHome.envelope(Map.of("path", "orders",
                        "serviceUrl", "https://one.test", "apiRevision", "1", "isCurrent", true)))
                .file("config/apis/orders;rev=2/apiInformation.json", TestHome.envelope(Map.of("path", "orders",
                        "serviceUrl", "https://two.test", "apiRevision", "2")))
                .file("config/apis/orders;rev=2/policy.xml", "<policies><inbound><ip-filter /></inbound></policies>");

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).containsOnlyKeys("orders");
        assertThat(result.snapshot().apis().get("orders").properties().serviceUrl()).isEqualTo("https://one.test");
        assertThat(result.apiErrors()).isEmpty();
        assertThat(result.revisions()).singleElement().satisfies(revision -> {
            assertThat(revision.id()).isEqualTo("orders;rev=2");
            assertThat(revision.state()).isEqualTo(ApiStatus.State.NOT_CURRENT);
            assertThat(revision.errors()).singleElement().satisfies(e -> assertThat(e.file())
                    .isEqualTo("config/apis/orders;rev=2/policy.xml"));
        });
        assertThat(result.warnings()).as("isCurrent and apiRevision are read").isEmpty();
    }

    @Test
    void aRevisionFolderCanBeTheCurrentOne() {
        home.api("orders", "orders", "https://one.test")
                .file("config/apis/orders;rev=2/apiInformation.json", TestHome.envelope(Map.of("path", "orders",
                        "serviceUrl", "https://two.test", "isCurrent", true)))
                .file("config/apis/orders;rev=2/operations/get/operationInformation.json", TestHome.envelope(
                        Map.of("method", "GET", "urlTemplate", "/x")));

        LoadResult result = loader.load();

        assertThat(result.errors()).isEmpty();
        ApiConfig orders = result.snapshot().apis().get("orders");
        assertThat(orders.id()).isEqualTo("orders");
        assertThat(orders.properties().serviceUrl()).isEqualTo("https://two.test");
        assertThat(orders.operations().get("get").apiId()).isEqualTo("orders");
        assertThat(result.revisions()).extracting(ApiStatus::id).containsExactly("orders");
    }

    @Test
    void twoCurrentRevisionsOrNoneMakeTheApiUnavailable() {
        home.file("config/apis/a/apiInformation.json", TestHome.envelope(Map.of("path", "a", "isCurrent", true)))
                .file("config/apis/a;rev=2/apiInformation.json", TestHome.envelope(Map.of("path", "a", "isCurrent", true)))
                .file("config/apis/b;rev=3/apiInformation.json", TestHome.envelope(Map.of("path", "b")));

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).isEmpty();
        assertThat(result.apiErrors().get("a")).singleElement().satisfies(e -> assertThat(e.message())
                .isEqualTo("\"isCurrent\": true in a and a;rev=2: only one revision of API \"a\" can be current"));
        assertThat(result.apiErrors().get("b")).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("config/apis/b;rev=3/apiInformation.json");
            assertThat(e.message()).contains("none of them says \"isCurrent\": true");
        });
        assertThat(result.snapshot().unavailableApis()).containsOnlyKeys("a", "b");
    }

    @Test
    void revisionFolderNamesAreAllowedOnlyInTheirOneForm() {
        home.file("config/apis/a;rev=0/apiInformation.json", TestHome.envelope(Map.of("path", "a")))
                .file("config/apis/a;rev=x/apiInformation.json", TestHome.envelope(Map.of("path", "a")))
                .file("config/apis/a;v=2/apiInformation.json", TestHome.envelope(Map.of("path", "a")))
                .file("config/apis/-a;rev=2/apiInformation.json", TestHome.envelope(Map.of("path", "a")))
                .file("config/backends/b;rev=2/backendInformation.json", TestHome.envelope(Map.of("url", "https://b.test")));

        assertThat(loader.load().errors()).extracting(ConfigError::file).containsExactlyInAnyOrder(
                "config/apis/a;rev=0", "config/apis/a;rev=x", "config/apis/a;v=2", "config/apis/-a;rev=2",
                "config/backends/b;rev=2");
    }

    @Test
    void versionsOfASetShareAPathAndAreToldApartTheSetsWay() {
        home.file("config/version sets/by-header/versionSetInformation.json", TestHome.envelope(Map.of(
                        "displayName", "orders", "versioningScheme", "Header", "versionHeaderName", "Api-Version")))
                .file("config/version sets/by-segment/versionSetInformation.json", TestHome.envelope(Map.of(
                        "versioningScheme", "Segment")))
                .file("config/apis/orders-v1/apiInformation.json", versioned("orders", "v1", "/apiVersionSets/by-header"))
                .file("config/apis/orders-v2/apiInformation.json", versioned("orders", "v2",
                        "/subscriptions/s/resourceGroups/g/providers/Microsoft.ApiManagement/service/x/apiVersionSets/by-header"))
                .file("config/apis/orders-v0/apiInformation.json", versioned("orders", "", "/apiVersionSets/by-header"))
                .file("config/apis/shop-v1/apiInformation.json", versioned("shop", "v1", "/apiVersionSets/by-segment"))
                .api("shop-v1-plain", "shop/v2");

        LoadResult result = loader.load();

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).isEmpty();
        ApiRoute v2 = result.snapshot().apis().get("orders-v2").route();
        assertThat(v2).isEqualTo(new ApiRoute("orders", ApiRoute.Scheme.HEADER, "by-header", "Api-Version", "v2"));
        assertThat(result.snapshot().apis().get("shop-v1").route().routingPath()).isEqualTo("shop/v1");
    }

    @Test
    void aMissingOrBrokenVersionSetAndTwoApisClaimingOneVersionAreErrors() {
        home.file("config/version sets/broken/versionSetInformation.json", TestHome.envelope(Map.of(
                        "versioningScheme", "Header")))
                .file("config/version sets/q/versionSetInformation.json", TestHome.envelope(Map.of(
                        "versioningScheme", "Query", "versionQueryName", "api-version")))
                .file("config/apis/gone/apiInformation.json", versioned("gone", "v1", "/apiVersionSets/nowhere"))
                .file("config/apis/in-broken/apiInformation.json", versioned("b", "v1", "/apiVersionSets/broken"))
                .file("config/apis/one/apiInformation.json", versioned("q", "v1", "/apiVersionSets/q"))
                .file("config/apis/same/apiInformation.json", versioned("q", "v1", "/apiVersionSets/q"))
                .api("plain-on-q", "q");

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(e -> e.file() + " " + e.message()).containsExactlyInAnyOrder(
                "config/version sets/broken/versionSetInformation.json properties.versionHeaderName is required with"
                        + " versioningScheme Header",
                "config/apis/gone/apiInformation.json apiVersionSetId names version set \"nowhere\", which does"
                        + " not exist in config/version sets",
                "config/apis/one/apiInformation.json path \"q\" version \"v1\" (query parameter api-version) is"
                        + " also used by API \"plain-on-q\", \"same\"; neither is served until one changes",
                "config/apis/same/apiInformation.json path \"q\" version \"v1\" (query parameter api-version) is"
                        + " also used by API \"one\", \"plain-on-q\"; neither is served until one changes",
                "config/apis/plain-on-q/apiInformation.json path \"q\" is also used by API \"one\", \"same\";"
                        + " neither is served until one changes");
        assertThat(result.apiErrors()).containsOnlyKeys("gone", "in-broken", "one", "same", "plain-on-q");
        assertThat(result.apiErrors().get("in-broken")).extracting(ConfigError::file)
                .containsExactly("config/version sets/broken/versionSetInformation.json");
    }

    private static String versioned(String path, String version, String setId) {
        return TestHome.envelope(Map.of("path", path, "apiVersion", version, "apiVersionSetId", setId));
    }

    @Test
    void productsAreListedAndTheirPoliciesReportedAsNotApplied() {
        home.api("a", "a")
                .file("config/products/gold/productInformation.json", TestHome.envelope(Map.of("displayName", "Gold",
                        "subscriptionRequired", true, "terms", "t")))
                .file("config/products/gold/policy.xml", "<policies><inbound><ip-filter /></inbound></policies>")
                .file("config/products/free/productInformation.json", TestHome.envelope(Map.of("displayName", "Free")));

        LoadResult result = loader.load();

        assertThat(result.errors()).as("a product policy is not read, so it blocks nothing").isEmpty();
        assertThat(result.products()).containsExactly(new Product("free", "Free", false),
                new Product("gold", "Gold", true));
        assertThat(result.warnings()).singleElement().satisfies(w -> {
            assertThat(w.file()).isEqualTo("config/products/gold/policy.xml");
            assertThat(w.message()).startsWith("product policy not applied: Certgate has no subscriptions");
        });
    }
}
