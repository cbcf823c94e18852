package dev.certgate.policy;

import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.api.policy.SetHeader;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code <include-fragment fragment-id="…" />}: the fragment's policies in its place, in any section. */
class FragmentsTest {
    private static final String SOURCE = "config/apis/a/policy.xml";

    private static PolicyFragment fragment(String id, String body) {
        return PolicyFragment.read(id, "<fragment>\n" + body + "\n</fragment>",
                "config/policy fragments/" + id + "/policy.xml");
    }

    private static PolicyParser.Located parse(String xml, PolicyContext context) {
        return PolicyParser.parseLocated(xml, SOURCE, context);
    }

    private static List<String> problems(String xml, PolicyContext context) {
        return assertThrows(PolicyException.class, () -> parse(xml, context)).problems().stream()
                .map(PolicyException.Problem::describe).toList();
    }

    @Test
    void aFragmentIncludedTwiceStandsInBothPlacesAndItsPoliciesKeepTheirOwnFileAndPosition() {
        PolicyContext context = PolicyContext.builder()
                .fragment(fragment("stamp", "  <set-header name=\"X-Stamp\"><value>{{environment}}</value></set-header>"))
                .value("environment", "prod", false)
                .build();

        PolicyParser.Located located = parse("<policies>\n<inbound>\n<include-fragment fragment-id=\"stamp\" />\n"
                + "<set-backend-service base-url=\"https://b.example\" />\n</inbound>\n<outbound>\n"
                + "<include-fragment fragment-id=\"stamp\"/>\n</outbound>\n</policies>", context);

        PolicyDocument document = located.document();
        SetHeader stamp = new SetHeader("X-Stamp", null, List.of("prod"));
        assertThat(document.inbound()).containsExactly(stamp, new SetBackendService("https://b.example", null));
        assertThat(document.outbound()).containsExactly(stamp);
        assertThat(located.positionOf(document.inbound().get(0)))
                .isEqualTo(new PolicyParser.Position("config/policy fragments/stamp/policy.xml", 2, 3));
        assertThat(located.positionOf(document.inbound().get(1))).isEqualTo(new PolicyParser.Position(SOURCE, 4, 1));
    }

    @Test
    void fragmentsIncludeFragmentsAndWhatIsWrongInsideOneIsReportedInItsOwnFile() {
        PolicyContext context = PolicyContext.builder()
                .fragment(fragment("outer", "<include-fragment fragment-id=\"inner\" />\n<set-variable name=\"v\" value=\"1\" />"))
                .fragment(fragment("inner", "<forward-request timeout=\"10\" />"))
                .build();

        assertThat(problems("<policies><inbound><include-fragment fragment-id=\"outer\" /></inbound></policies>",
                context)).containsExactly(
                "config/policy fragments/inner/policy.xml:2:1: <forward-request>: <forward-request> is not allowed in"
                        + " <inbound>; allowed in: backend",
                "config/policy fragments/outer/policy.xml:3:1: <set-variable>: unknown policy <set-variable>;"
                        + " supported: " + PolicyKind.xmlNames());
    }

    @Test
    void aCycleIsRefusedNamingEveryFragmentInIt() {
        PolicyContext context = PolicyContext.builder()
                .fragment(fragment("a", "<include-fragment fragment-id=\"b\" />"))
                .fragment(fragment("b", "<set-header name=\"X\" />\n<include-fragment fragment-id=\"a\" />"))
                .fragment(fragment("self", "<include-fragment fragment-id=\"self\" />"))
                .build();

        assertThat(problems("<policies><inbound><include-fragment fragment-id=\"a\" />"
                + "<include-fragment fragment-id=\"self\" /></inbound></policies>", context)).containsExactly(
                "config/policy fragments/b/policy.xml:3:1: <include-fragment>: policy fragments include each other in"
                        + " a cycle: a → b → a; a fragment cannot include itself, directly or through others",
                "config/policy fragments/self/policy.xml:2:1: <include-fragment>: policy fragments include each other"
                        + " in a cycle: self → self; a fragment cannot include itself, directly or through others");
    }

    @Test
    void aMissingOrUnreadableFragmentAndAWrongInclusionAreReported() {
        PolicyContext context = PolicyContext.builder()
                .unreadableFragment("broken", "config/policy fragments/broken/policy.xml")
                .build();

        assertThat(problems("<policies>\n<inbound>\n<include-fragment fragment-id=\"nowhere\" />\n"
                + "<include-fragment fragment-id=\"broken\" />\n<include-fragment id=\"x\" />\n</inbound>\n</policies>",
                context)).containsExactly(
                SOURCE + ":3:32: <include-fragment>: policy fragment 'nowhere' does not exist: there is no"
                        + " config/policy fragments/nowhere/policy.xml",
                SOURCE + ":4:32: <include-fragment>: policy fragment 'broken' cannot be read: see the errors of"
                        + " config/policy fragments/broken/policy.xml",
                SOURCE + ":5:1: <include-fragment>: unknown attribute 'id'; allowed: fragment-id",
                SOURCE + ":5:1: <include-fragment>: attribute 'fragment-id' is required: the id of a policy fragment");
    }

    @Test
    void fragmentsThatIncludeEachOtherTwiceOverCannotExpandWithoutBound() {
        PolicyContext.Builder builder = PolicyContext.builder()
                .fragment(fragment("f0", "<set-header name=\"X\" />".repeat(4)));
        for (int i = 1; i <= 14; i++) {
            builder.fragment(fragment("f" + i, ("<include-fragment fragment-id=\"f" + (i - 1) + "\" />").repeat(2)));
        }

        List<String> problems = problems("<policies><inbound><include-fragment fragment-id=\"f14\" />"
                + "</inbound></policies>", builder.build());

        assertThat(problems).singleElement().asString().endsWith("the policy fragments this document includes expand"
                + " to more than " + FragmentInliner.MAX_ELEMENTS + " elements");
    }

    @Test
    void aFragmentFileMustHoldAFragment() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyFragment.read("f",
                "<policies><inbound/></policies>", "config/policy fragments/f/policy.xml"));
        assertThat(e.getMessage()).isEqualTo("config/policy fragments/f/policy.xml:1:1: <policies>: the root element"
                + " of a policy fragment must be <fragment>, not <policies>");
    }

    @Test
    void fragmentsNestedTooDeepAreRefusedNamingTheChain() {
        PolicyContext.Builder builder = PolicyContext.builder().fragment(fragment("n0", "<set-header name=\"X\" />"));
        for (int i = 1; i <= 20; i++) {
            builder.fragment(fragment("n" + i, "<include-fragment fragment-id=\"n" + (i - 1) + "\" />"));
        }

        assertThat(problems("<policies><inbound><include-fragment fragment-id=\"n20\" /></inbound></policies>",
                builder.build())).singleElement().asString().contains("policy fragments are nested more than "
                + FragmentInliner.MAX_NESTING + " deep: n20 → n19 → ");
    }
}
