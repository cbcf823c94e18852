package dev.certgate.policy;

import dev.certgate.api.policy.Cors;
import dev.certgate.api.policy.Policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code <cors>} read as APIM defines it, with what APIM refuses refused. */
class CorsReaderTest {
    private static List<Policy> inbound(String cors) {
        return PolicyParser.parse("<policies><inbound>" + cors + "</inbound></policies>", "p.xml").inbound();
    }

    private static PolicyException refused(String cors) {
        return assertThrows(PolicyException.class,
                () -> PolicyParser.parse("<policies>\n<inbound>\n" + cors + "\n</inbound>\n</policies>", "p.xml"));
    }

    @Test
    void thePortalsCorsAndAFullOneAreReadIntoOneForm() {
        assertThat(inbound("""
                <cors allow-credentials="true">
                    <allowed-origins>
                        <origin>https://Portal.Example</origin>
                        <origin>http://localhost:8080/</origin>
                    </allowed-origins>
                    <allowed-methods preflight-result-max-age="300">
                        <method>get</method>
                        <method>PATCH</method>
                    </allowed-methods>
                    <allowed-headers><header>Content-Type</header><header>X-Key</header></allowed-headers>
                    <expose-headers><header>X-Trace</header></expose-headers>
                </cors>""")).containsExactly(new Cors(true, true,
                List.of("https://portal.example:443", "http://localhost:8080"), List.of("GET", "PATCH"), 300,
                List.of("content-type", "x-key"), List.of("X-Trace")));

        assertThat(inbound("<cors terminate-unmatched-request=\"false\"><allowed-origins><origin>*</origin>"
                + "</allowed-origins><allowed-headers><header>*</header></allowed-headers></cors>"))
                .containsExactly(new Cors(false, false, List.of("*"), List.of("GET", "POST"), 0, List.of("*"),
                        List.of()));
    }

    @Test
    void credentialsWithAnyOriginAreRefusedAsApimRefusesThem() {
        PolicyException e = refused("<cors allow-credentials=\"true\">\n  <allowed-origins><origin>*</origin>"
                + "</allowed-origins>\n</cors>");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.element()).isEqualTo("allowed-origins");
        assertThat(e.reason()).startsWith("the origin * cannot be used with allow-credentials=\"true\"");
    }

    @Test
    void whatIsWrongInsideIsReportedAtTheElementItIsAbout() {
        assertThat(refused("<cors>\n  <allowed-methods><method>GET</method></allowed-methods>\n</cors>").reason())
                .startsWith("<allowed-origins> is required");
        PolicyException origin = refused("<cors>\n  <allowed-origins>\n    <origin>https://a.example/path</origin>"
                + "\n  </allowed-origins>\n</cors>");
        assertThat(List.of(origin.line(), origin.column())).containsExactly(5, 5);
        assertThat(origin.reason()).contains("'https://a.example/path' is not an origin");
        assertThat(refused("<cors><allowed-origins/></cors>").reason())
                .isEqualTo("<allowed-origins> needs at least one <origin>");
        assertThat(refused("<cors><allowed-origins><origin>*</origin></allowed-origins><allowed-methods"
                + " preflight-result-max-age=\"soon\"><method>GET</method></allowed-methods></cors>").reason())
                .contains("'soon'");
        assertThat(refused("<cors><allowed-origins><origin>*</origin></allowed-origins><allowed-headers>"
                + "<name>X</name></allowed-headers></cors>").reason())
                .isEqualTo("<name> is not allowed inside <allowed-headers>; only <header> is");
        assertThat(refused("<cors><allowed-origins><origin>*</origin></allowed-origins></cors><cors>"
                + "<allowed-origins><origin>*</origin></allowed-origins></cors>").reason())
                .isEqualTo("<cors> may appear only once in <inbound>");
        assertThat(refused("</inbound><outbound><cors><allowed-origins><origin>*</origin></allowed-origins></cors>"
                + "</outbound><inbound>").reason()).startsWith("<cors> is not allowed in <outbound>");
    }

    @Test
    void anExpressionInACorsIsReportedAsSuch() {
        assertThat(refused("<cors allow-credentials=\"@(true)\"><allowed-origins><origin>*</origin>"
                + "</allowed-origins></cors>").reason()).isEqualTo("policy expression (line 3, column 26): not supported");
    }
}
