package dev.certgate.proxy;

import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.config.ApiRoute;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.testsupport.TestConfig;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.certgate.testsupport.TestConfig.inbound;
import static dev.certgate.testsupport.TestConfig.operation;
import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {
    private static final PolicyDocument NONE = inbound();

    private final Router router = Router.of(TestConfig.create()
            .api("root", "", "https://root", NONE)
            .api("orders", "orders", "https://orders", NONE)
            .api("orders-v2", "/orders/v2/", "https://orders-v2", NONE)
            .api("shop", "shop", "https://shop", NONE,
                    operation("shop", "by-id", "GET", "/items/{id}", NONE),
                    operation("shop", "new", "GET", "/items/new", NONE),
                    operation("shop", "pair", "PUT", "/items/{id}/tags/{tag}?dry={dry}", NONE),
                    operation("shop", "files", "GET", "/files/*", NONE))
            .snapshot());

    @Test
    void theLongestApiPathOnASegmentBoundaryWins() {
        assertThat(route("GET", "/orders/v2/x")).isEqualTo("orders-v2 /x");
        assertThat(route("GET", "/orders/v3/x")).isEqualTo("orders /v3/x");
        assertThat(route("GET", "/orders")).isEqualTo("orders ");
        assertThat(route("GET", "/orders/")).isEqualTo("orders /");
        assertThat(route("GET", "/ordersx/1")).isEqualTo("root /ordersx/1");
        assertThat(route("GET", "/")).isEqualTo("root /");
    }

    @Test
    void aPathNamingARevisionTheApimWayIsToldApartFromTheShorterApiItWouldReach() {
        assertThat(router.namesARevision("/orders;rev=2/1")).as("the root API would take it").isTrue();
        assertThat(router.namesARevision("/orders/v2;rev=3/x")).as("orders would take it").isTrue();
        assertThat(router.namesARevision("/orders;rev=2")).isTrue();
        assertThat(router.namesARevision("/orders/1")).isFalse();
        assertThat(router.namesARevision("/unknown;rev=2/x")).as("no API is named").isFalse();
        assertThat(router.namesARevision("/orders/x;rev=2")).as("a parameter below the API's path").isFalse();
    }

    @Test
    void withoutARootApiUnknownPathsMatchNothing() {
        Router noRoot = Router.of(TestConfig.create().api("orders", "orders", "https://o", NONE).snapshot());
        assertThat(noRoot.route("GET", "/other")).isNull();
        assertThat(noRoot.route("GET", "/ordersx")).isNull();
        assertThat(noRoot.api("/orders/1")).isNotNull();
    }

    @Test
    void operationsMatchMethodAndTemplateLiteralsFirst() {
        assertThat(operationOf("GET", "/shop/items/42")).isEqualTo("by-id {id=42}");
        assertThat(operationOf("get", "/shop/items/new")).isEqualTo("new {}");
        assertThat(operationOf("GET", "/shop/items/42/")).isEqualTo("by-id {id=42}");
        assertThat(router.route("PUT", "/shop/items/7/tags/red", UnaryOperator.identity(), "dry=1").pathParameters())
                .containsExactly(Map.entry("id", "7"), Map.entry("tag", "red"), Map.entry("dry", "1"));
        assertThat(router.route("PUT", "/shop/items/7/tags/red")).as("its query parameter is required").isNull();
        assertThat(operationOf("GET", "/shop/files/a/b/c")).isEqualTo("files {}");
        assertThat(operationOf("GET", "/shop/files")).isEqualTo("files {}");
        assertThat(router.route("POST", "/shop/items/42")).isNull();
        assertThat(router.route("GET", "/shop/items/42/more")).isNull();
        assertThat(router.route("GET", "/shop/items")).isNull();
    }

    @Test
    void aTemplatesQueryParametersAreRequiredAndChooseTheOperation() {
        Router finder = Router.of(TestConfig.create().api("orders", "orders", "https://o", NONE,
                operation("orders", "by-name", "GET", "/find?name={name}", NONE),
                operation("orders", "by-zip", "GET", "/find?zip={zip}", NONE),
                operation("orders", "by-both", "GET", "/find?zip={zip}&name={name}", NONE),
                operation("orders", "v2", "GET", "/items?api-version=2", NONE),
                operation("orders", "items", "GET", "/items", NONE)).snapshot());

        assertThat(finder.route("GET", "/orders/find", UnaryOperator.identity(), "zip=1").operation().id())
                .isEqualTo("by-zip");
        assertThat(finder.route("GET", "/orders/find", UnaryOperator.identity(), "other=3&name=a%20b")
                .pathParameters()).containsExactly(Map.entry("name", "a%20b"));
        assertThat(finder.route("GET", "/orders/find", UnaryOperator.identity(), "name=a&zip=1").operation().id())
                .as("the template asking more wins").isEqualTo("by-both");
        assertThat(finder.route("GET", "/orders/find", UnaryOperator.identity(), "other=1")).isNull();
        assertThat(finder.route("GET", "/orders/find")).isNull();
        assertThat(finder.route("GET", "/orders/items", UnaryOperator.identity(), "api-version=2").operation().id())
                .isEqualTo("v2");
        assertThat(finder.route("GET", "/orders/items", UnaryOperator.identity(), "api-version=1").operation().id())
                .isEqualTo("items");
    }

    @Test
    void aCatchAllParameterTakesTheRestOfThePathSlashesIncluded() {
        Router catchAll = Router.of(TestConfig.create().api("files", "files", "https://f", NONE,
                operation("files", "read", "GET", "/blobs/{container}/{*path}", NONE),
                operation("files", "any", "GET", "/{*rest}", NONE)).snapshot());

        assertThat(catchAll.route("GET", "/files/blobs/c1/a/b/c.txt").pathParameters())
                .containsExactly(java.util.Map.entry("container", "c1"), java.util.Map.entry("path", "a/b/c.txt"));
        assertThat(catchAll.route("GET", "/files/blobs/c1/").operation().id()).isEqualTo("read");
        assertThat(catchAll.route("GET", "/files/other/x").pathParameters()).containsEntry("rest", "other/x");
        assertThat(catchAll.route("GET", "/files").operation().id()).isEqualTo("any");
    }

    @Test
    void anUnavailableApiKeepsItsPathSoItsCallsAreNotTakenByAShorterOne() {
        GatewaySnapshot served = TestConfig.create().api("root", "", "https://root", NONE).snapshot();
        GatewaySnapshot snapshot = new GatewaySnapshot(1, served.loadedAt(), served.globalPolicy(), served.apis(),
                served.backends(), served.certificates(), served.authorities(), java.util.Map.of("broken",
                dev.certgate.config.ApiRoute.of("/broken/")));
        Router withUnavailable = Router.of(snapshot);

        assertThat(withUnavailable.route("GET", "/broken/x")).isNull();
        assertThat(withUnavailable.unavailableApi("/broken/x", h -> null, null)).isEqualTo("broken");
        assertThat(withUnavailable.api("/broken/x")).as("the filter passes it to the gateway").isNotNull();
        assertThat(withUnavailable.route("GET", "/brokenx").api().id()).isEqualTo("root");
        assertThat(withUnavailable.unavailableApi("/other", h -> null, null)).isNull();
    }

    @Test
    void versionsAreToldApartBySegmentHeaderOrQuery() {
        GatewaySnapshot served = TestConfig.create().snapshot();
        java.util.Map<String, dev.certgate.config.ApiConfig> apis = new java.util.TreeMap<>();
        versioned(apis, "seg-v1", new ApiRoute("seg", ApiRoute.Scheme.SEGMENT, "s", null, "v1"));
        versioned(apis, "seg-original", new ApiRoute("seg", ApiRoute.Scheme.SEGMENT, "s", null, ""));
        versioned(apis, "hdr-v1", new ApiRoute("hdr", ApiRoute.Scheme.HEADER, "h", "Api-Version", "v1"));
        versioned(apis, "hdr-v2", new ApiRoute("hdr", ApiRoute.Scheme.HEADER, "h", "Api-Version", "v2"));
        versioned(apis, "qry-v1", new ApiRoute("qry", ApiRoute.Scheme.QUERY, "q", "api-version", "v1"));
        Router versions = Router.of(new GatewaySnapshot(1, served.loadedAt(), served.globalPolicy(), apis,
                served.backends(), served.certificates(), served.authorities(), java.util.Map.of("hdr-v3",
                new ApiRoute("hdr", ApiRoute.Scheme.HEADER, "h", "Api-Version", "v3"))));
        java.util.function.UnaryOperator<String> none = name -> null;

        assertThat(versions.route("GET", "/seg/v1/x", none, null).api().id()).isEqualTo("seg-v1");
        assertThat(versions.route("GET", "/seg/v1/x", none, null).rest()).isEqualTo("/x");
        assertThat(versions.route("GET", "/seg/x", none, null).api().id()).isEqualTo("seg-original");
        assertThat(versions.route("GET", "/hdr/x", name -> name.equals("Api-Version") ? "v2" : null, null).api().id())
                .isEqualTo("hdr-v2");
        assertThat(versions.route("GET", "/hdr/x", none, null)).as("no original version in that set").isNull();
        assertThat(versions.route("GET", "/hdr/x", name -> "v3", null)).isNull();
        assertThat(versions.unavailableApi("/hdr/x", name -> "v3", null)).isEqualTo("hdr-v3");
        assertThat(versions.unavailableApi("/hdr/x", name -> "v9", null)).isNull();
        assertThat(versions.route("GET", "/qry/x", none, "a=1&api-version=v1").api().id()).isEqualTo("qry-v1");
        assertThat(versions.route("GET", "/qry/x", none, "api-version=v2")).isNull();
        assertThat(versions.api("/qry/x")).as("the path is the gateway's whatever the version").isNotNull();
    }

    private static void versioned(java.util.Map<String, dev.certgate.config.ApiConfig> apis, String id, ApiRoute route) {
        apis.put(id, new dev.certgate.config.ApiConfig(id, new dev.certgate.api.model.ApiProperties(id, route.path(),
                "https://" + id, java.util.List.of()), PolicyDocument.INHERIT, java.util.Map.of(), NONE, route));
    }

    @Test
    void aSnapshotWithTwoApisOnOnePathKeepsTheFirstId() {
        GatewaySnapshot snapshot = TestConfig.create()
                .api("b-second", "same", "https://b", NONE)
                .api("a-first", "same", "https://a", NONE)
                .snapshot();
        assertThat(Router.of(snapshot).route("GET", "/same/x").api().id()).isEqualTo("a-first");
    }

    private String route(String method, String path) {
        Route route = router.route(method, path);
        return route.api().id() + " " + route.rest();
    }

    private String operationOf(String method, String path) {
        Route route = router.route(method, path);
        assertThat(route).as(method + " " + path).isNotNull();
        return route.operation().id() + " " + route.pathParameters();
    }
}
