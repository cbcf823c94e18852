package dev.certgate.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A document's problems are all reported, not only the first, so one load lists every reason at once. */
class EveryProblemTest {
    private static final String SOURCE = "policy.xml";

    private static List<String> problems(String xml) {
        return assertThrows(PolicyException.class, () -> PolicyParser.parse(xml, SOURCE)).problems().stream()
                .map(PolicyException.Problem::describe).toList();
    }

    @Test
    void everyUnsupportedPolicyAndEveryExpressionIsListedWithItsPosition() {
        String xml = """
                <policies>
                  <inbound>
                    <set-variable name="region" value="@(context.Request.Headers.GetValueOrDefault("X-Region", "eu"))" />
                    <set-header name="X-Ok" exists-action="override"><value>fine</value></set-header>
                    <choose>
                      <when condition="@(context.Variables["region"] == "us")">
                        <set-backend-service base-url="https://us.example" />
                      </when>
                    </choose>
                    <validate-jwt header-name="Authorization" />
                    <set-header name="X-Bad" colour="red" />
                    <set-header name="X-Expr"><value>@(context.RequestId)</value></set-header>
                  </inbound>
                  <backend><forward-request timeout="zero" /></backend>
                </policies>
                """;
        assertThat(problems(xml)).containsExactly(
                "policy.xml:3:5: <set-variable>: unknown policy <set-variable>; supported: " + PolicyKind.xmlNames(),
                "policy.xml:3:40: <set-variable>: policy expression (line 3, column 40): not supported",
                "policy.xml:5:5: <choose>: unknown policy <choose>; supported: " + PolicyKind.xmlNames(),
                "policy.xml:6:24: <when>: policy expression (line 6, column 24): not supported",
                "policy.xml:10:5: <validate-jwt>: unknown policy <validate-jwt>; supported: " + PolicyKind.xmlNames(),
                "policy.xml:11:5: <set-header>: unknown attribute 'colour'; allowed: name, exists-action",
                "policy.xml:12:38: <value>: policy expression (line 12, column 38): not supported",
                "policy.xml:14:12: <forward-request>: attribute 'timeout' must be a whole number of seconds greater"
                        + " than 0, not 'zero'");
    }

    @Test
    void theFirstProblemIsTheExceptionsOwnAndTheMessageSaysHowManyMore() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse(
                "<policies><inbound><a/><b/><c/></inbound></policies>", SOURCE));
        assertThat(e.element()).isEqualTo("a");
        assertThat(e.column()).isEqualTo(20);
        assertThat(e.getMessage()).startsWith("policy.xml:1:20: <a>: unknown policy <a>").endsWith(" (and 2 more)");
    }

    @Test
    void aHostileNumberOfProblemsIsCutShortSayingHowManyWereLeftOut() {
        String xml = "<policies><inbound>" + "<x/>".repeat(250) + "</inbound></policies>";
        List<String> problems = problems(xml);
        assertThat(problems).hasSize(PolicyException.MAX_PROBLEMS);
        assertThat(problems.get(PolicyException.MAX_PROBLEMS - 1))
                .endsWith(": 151 more problems in this document are not listed");
    }
}
