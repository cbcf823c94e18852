package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.TlsSettings;
import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.RewriteUri;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.api.policy.SetHeader;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.testsupport.TestConfig;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inbound steps on an exchange: rewrite-uri, set-backend-service, set-header; and the target URL they make. */
class ExchangeTest {
    private final GatewaySnapshot snapshot = TestConfig.create()
            .api("shop", "shop", "https://shop.example/api/", inbound())
            .backend("b1", new BackendProperties("https://b1.example:8443/base", "http", null,
                    new TlsSettings(false, false), null))
            .snapshot();

    @Test
    void rewriteUriFillsTemplateParametersAndCopiesUnmatchedQueryParameters() {
        Exchange exchange = exchange(Map.of("id", "42"), "debug=1&id=9&tag=x");
        exchange.rewrite(new RewriteUri("/v2/orders/{id}?tag={tag}&src=gw", true));
        assertThat(exchange.path()).isEqualTo("/v2/orders/42");
        assertThat(exchange.query()).isEqualTo("tag=x&src=gw&debug=1&id=9");
    }

    @Test
    void copyUnmatchedParamsLeavesOutWhatTheOperationsTemplateMatchedOn() {
        // APIM's own example: a request /get?a=b&c=d to an operation /get?a={b}, rewritten to /put, goes to /put?c=d.
        Exchange exchange = exchange(Map.of("b", "b"), Set.of("a"), "a=b&c=d");
        exchange.rewrite(new RewriteUri("/put", true));
        assertThat(exchange.path()).isEqualTo("/put");
        assertThat(exchange.query()).isEqualTo("c=d");
    }

    @Test
    void copyUnmatchedParamsAddsTheCallersParameterBesideTheTemplatesOfTheSameName() {
        Exchange exchange = exchange(Map.of(), "src=caller&d=1");
        exchange.rewrite(new RewriteUri("/x?src=gw", true));
        assertThat(exchange.query()).isEqualTo("src=gw&src=caller&d=1");
    }

    @Test
    void rewriteUriWithoutCopyDropsTheOriginalQuery() {
        Exchange exchange = exchange(Map.of("id", "42"), "debug=1");
        exchange.rewrite(new RewriteUri("orders/{id}", false));
        assertThat(exchange.path()).isEqualTo("/orders/42");
        assertThat(exchange.query()).isNull();
    }

    @Test
    void setBackendServiceSwitchesUrlCredentialsAndTls() {
        Exchange exchange = exchange(Map.of(), null);
        assertThat(exchange.tls()).isEqualTo(TlsSettings.DEFAULT);
        Pipeline.inbound(exchange, List.of(new SetBackendService(null, "b1")), snapshot);
        assertThat(exchange.baseUrl()).isEqualTo("https://b1.example:8443/base");
        assertThat(exchange.tls().chain()).isFalse();
        Pipeline.inbound(exchange, List.of(new SetBackendService("https://plain.example", null)), snapshot);
        assertThat(exchange.backend()).isNull();
        assertThat(exchange.tls()).isEqualTo(TlsSettings.DEFAULT);
    }

    @Test
    void targetJoinsBasePathAndRawQuery() {
        BackendTarget target = BackendTarget.parse("https://shop.example/api/", "shop");
        assertThat(target.host().toURI()).isEqualTo("https://shop.example");
        assertThat(target.requestUri("/orders/a%20b", "x=%2F")).isEqualTo("/api/orders/a%20b?x=%2F");
        assertThat(target.requestUri("", null)).isEqualTo("/api");
        assertThat(BackendTarget.parse("http://h:81", "shop").requestUri("", null)).isEqualTo("/");
    }

    @Test
    void aQueryInTheBaseUrlGoesWithEveryRequestAheadOfTheCallers() {
        BackendTarget function = BackendTarget.parse("https://fn.example/api/run?code=a%2Bb", "fn");

        assertThat(function.requestUri("/x", "y=1&z")).isEqualTo("/api/run/x?code=a%2Bb&y=1&z");
        assertThat(function.requestUri("", null)).isEqualTo("/api/run?code=a%2Bb");
        assertThat(function.requestUri("", "")).isEqualTo("/api/run?code=a%2Bb");
        assertThat(BackendTarget.parse("https://fn.example/?", "fn").requestUri("/x", null)).isEqualTo("/x");
    }

    @Test
    void charactersBeyondAsciiGoOutPercentEncodedAsUtf8AndEscapesStayAsSent() {
        BackendTarget target = BackendTarget.parse("https://shop.example/api", "shop");

        assertThat(target.requestUri("/caf\u00e9/%C3%A9", "q=\u65e5\u672c&e=\u00e9&x=%2F&emoji=\uD83D\uDE00"))
                .isEqualTo("/api/caf%C3%A9/%C3%A9?q=%E6%97%A5%E6%9C%AC&e=%C3%A9&x=%2F&emoji=%F0%9F%98%80");
    }

    @Test
    void noBackEndOrABrokenUrlIsAConfigurationErrorNamingTheApiAndWhatToSet() {
        assertThatThrownBy(() -> BackendTarget.parse(null, "orders"))
                .isInstanceOfSatisfying(CertgateException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
                .hasMessageContaining("\"orders\"").hasMessageContaining("serviceUrl")
                .hasMessageContaining("set-backend-service");
        assertThatThrownBy(() -> BackendTarget.parse("ftp://files.example", "orders"))
                .isInstanceOfSatisfying(CertgateException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFIGURATION_ERROR))
                .hasMessageContaining("\"orders\"");
    }

    @Test
    void setHeaderActions() {
        Headers headers = new Headers();
        headers.add("X-A", "caller");
        headers.add("x-b", "caller");
        headers.apply(new SetHeader("X-A", ExistsAction.OVERRIDE, List.of("1", "2")));
        headers.apply(new SetHeader("X-B", ExistsAction.SKIP, List.of("policy")));
        headers.apply(new SetHeader("X-C", ExistsAction.SKIP, List.of("policy")));
        headers.apply(new SetHeader("X-B", ExistsAction.APPEND, List.of("more")));
        headers.apply(new SetHeader("X-A", ExistsAction.DELETE, null));
        assertThat(headers.values("x-a")).isEmpty();
        assertThat(headers.values("X-B")).containsExactly("caller", "more");
        assertThat(headers.values("X-C")).containsExactly("policy");
        headers.appendToList("X-Forwarded-For", "10.0.0.1");
        headers.appendToList("X-Forwarded-For", "10.0.0.2");
        assertThat(headers.values("X-Forwarded-For")).containsExactly("10.0.0.1, 10.0.0.2");
    }

    private Exchange exchange(Map<String, String> pathParameters, String query) {
        return exchange(pathParameters, Set.of(), query);
    }

    private Exchange exchange(Map<String, String> pathParameters, Set<String> templateQuery, String query) {
        Route route = new Route(snapshot.apis().get("shop"), null, "/orders/42", pathParameters, templateQuery,
                inbound());
        return new Exchange(route, new Headers(), query);
    }
}
