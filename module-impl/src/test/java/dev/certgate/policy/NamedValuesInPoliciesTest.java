package dev.certgate.policy;

import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.api.policy.SetHeader;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code {{displayName}}} in attribute values and texts, replaced before any rule looks at them, as APIM does. */
class NamedValuesInPoliciesTest {
    private static final String SOURCE = "config/apis/a/policy.xml";
    private static final String THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
    private static final PolicyContext CONTEXT = PolicyContext.builder()
            .value("backend-url", "https://orders.example", false)
            .value("Client-Thumbprint", THUMBPRINT, false)
            .value("api-key", "s3cret-k3y", true)
            .value("bad-header", "line\nbreak-s3cret", true)
            .unavailable("vault-token", "needs a value: it is kept in Azure Key Vault")
            .build();

    private static List<Policy> inbound(String statements) {
        return PolicyParser.parseLocated("<policies><inbound>" + statements + "</inbound></policies>", SOURCE, CONTEXT)
                .document().inbound();
    }

    private static List<String> problems(String xml) {
        return assertThrows(PolicyException.class, () -> PolicyParser.parseLocated(xml, SOURCE, CONTEXT))
                .problems().stream().map(PolicyException.Problem::describe).toList();
    }

    @Test
    void referencesInAttributesAndValuesAreReplacedByDisplayNameInAnyCase() {
        assertThat(inbound("<set-backend-service base-url=\"{{backend-url}}\" />"
                + "<authentication-certificate thumbprint=\"{{client-thumbprint}}\" />"
                + "<set-header name=\"X-Key\"><value>Key {{API-KEY}}</value></set-header>"))
                .containsExactly(new SetBackendService("https://orders.example", null),
                        AuthenticationCertificate.byThumbprint(THUMBPRINT),
                        new SetHeader("X-Key", null, List.of("Key s3cret-k3y")));
    }

    @Test
    void aMissingOrValuelessNamedValueIsAProblemWhereItsReferenceStands() {
        String xml = "<policies>\n  <inbound>\n    <set-header name=\"X-A\"><value>a {{nowhere}}</value></set-header>\n"
                + "    <set-backend-service base-url=\"{{vault-token}}\" />\n"
                + "    <set-variable name=\"v\" value=\"@{\n      return \"{{missing-in-expression}}\";\n    }\" />\n"
                + "  </inbound>\n</policies>";
        assertThat(problems(xml)).containsExactly(
                SOURCE + ":3:37: <value>: named value 'nowhere' is not defined: no named value in config/named values"
                        + " has displayName 'nowhere'",
                SOURCE + ":4:36: <set-backend-service>: named value 'vault-token' needs a value: it is kept in Azure"
                        + " Key Vault",
                SOURCE + ":6:15: <set-variable>: named value 'missing-in-expression' is not defined: no named value in"
                        + " config/named values has displayName 'missing-in-expression'",
                SOURCE + ":5:5: <set-variable>: unknown policy <set-variable>; supported: " + PolicyKind.xmlNames(),
                SOURCE + ":5:35: <set-variable>: policy expression (line 5, column 35): not supported");
    }

    @Test
    void anErrorAboutAValueWithASecretPutInDoesNotQuoteTheSecret() {
        PolicyException e = assertThrows(PolicyException.class, () -> inbound(
                "<set-header name=\"X-Bad\"><value>{{bad-header}}</value></set-header>"
                        + "<set-backend-service base-url=\"{{api-key}}\" />"));
        assertThat(e.problems()).extracting(PolicyException.Problem::reason).containsExactly(
                "not valid with the value of secret named value 'bad-header' put in (the reason is not shown, as it"
                        + " would quote the secret)",
                "not valid with the value of secret named value 'api-key' put in (the reason is not shown, as it would"
                        + " quote the secret)");
        assertThat(e.getMessage()).doesNotContain("s3cret");
    }

    @Test
    void bracesThatAreNoReferenceAreRefusedNotPassedOn() {
        assertThat(problems("<policies><inbound><set-header name=\"X\"><value>{{ spaced }}</value></set-header>"
                + "</inbound></policies>")).singleElement().asString()
                .contains("{{...}} is not a named value reference");
    }
}
