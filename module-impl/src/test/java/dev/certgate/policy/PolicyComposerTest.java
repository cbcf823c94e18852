package dev.certgate.policy;

import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Base;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.Section;
import dev.certgate.api.policy.SetHeader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.certgate.policy.PolicyComposer.compose;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyComposerTest {
    private static final PolicyDocument INHERIT = PolicyDocument.INHERIT;
    private static final Base BASE = Base.INSTANCE;

    private static SetHeader header(String name) {
        return new SetHeader(name, null, List.of());
    }

    private static PolicyDocument inbound(Policy... policies) {
        return new PolicyDocument(List.of(policies), List.of(BASE), List.of(BASE), List.of(BASE));
    }

    private static PolicyDocument backend(Policy... policies) {
        return new PolicyDocument(List.of(BASE), List.of(policies), List.of(BASE), List.of(BASE));
    }

    private static PolicyDocument parse(String xml) {
        return PolicyParser.parse(xml, "test");
    }

    @Test
    void noPolicyFilesAnywhereGiveTheBuiltInDefault() {
        PolicyDocument composed = compose(INHERIT, INHERIT, INHERIT);
        assertThat(composed).isEqualTo(new PolicyDocument(List.of(), List.of(ForwardRequest.DEFAULT), List.of(), List.of()));
        assertThat(composed).isEqualTo(PolicyComposer.BUILT_IN_DEFAULT);
        assertThat(PolicyComposer.forwardRequestOf(composed)).isEqualTo(ForwardRequest.DEFAULT);
    }

    @Test
    void baseInTheGlobalPolicyMeansTheBuiltInDefault() {
        PolicyDocument global = backend(BASE, new ForwardRequest(10, false));
        assertThat(compose(global, INHERIT, INHERIT).backend())
                .containsExactly(ForwardRequest.DEFAULT, new ForwardRequest(10, false));
    }

    @Test
    void baseIsReplacedAtItsPosition() {
        PolicyDocument global = inbound(header("G1"), header("G2"));
        assertThat(compose(global, inbound(BASE, header("A")), INHERIT).inbound())
                .as("base at the start").containsExactly(header("G1"), header("G2"), header("A"));
        assertThat(compose(global, inbound(header("A1"), BASE, header("A2")), INHERIT).inbound())
                .as("base in the middle").containsExactly(header("A1"), header("G1"), header("G2"), header("A2"));
        assertThat(compose(global, inbound(header("A"), BASE), INHERIT).inbound())
                .as("base at the end").containsExactly(header("A"), header("G1"), header("G2"));
    }

    @Test
    void aSectionWithoutBaseReplacesTheEnclosingOne() {
        PolicyDocument global = inbound(header("G"));
        assertThat(compose(global, inbound(header("A")), INHERIT).inbound()).containsExactly(header("A"));
        assertThat(compose(global, inbound(), INHERIT).inbound()).as("an empty section runs nothing").isEmpty();
    }

    @Test
    void operationScopeNestsInsideTheApiScope() {
        PolicyDocument global = inbound(header("G"), BASE);
        PolicyDocument api = inbound(header("A1"), BASE, header("A2"));
        PolicyDocument operation = inbound(BASE, AuthenticationCertificate.byId("op-cert"));
        assertThat(compose(global, api, operation).inbound()).containsExactly(
                header("A1"), header("G"), header("A2"), AuthenticationCertificate.byId("op-cert"));
        assertThat(compose(global, api, inbound(header("O"))).inbound()).containsExactly(header("O"));
        assertThat(compose(global, INHERIT, operation).inbound())
                .as("a scope without a file is transparent")
                .containsExactly(header("G"), AuthenticationCertificate.byId("op-cert"));
    }

    @Test
    void sectionsComposeIndependently() {
        PolicyDocument global = parse("""
                <policies>
                    <inbound><set-header name="G-In" /></inbound>
                    <outbound><set-header name="G-Out" /></outbound>
                    <on-error><set-header name="G-Err" /></on-error>
                </policies>""");
        PolicyDocument api = parse("""
                <policies>
                    <inbound><base /><authentication-certificate certificate-id="c1" /></inbound>
                    <backend><forward-request timeout="20" /></backend>
                    <outbound />
                </policies>""");
        PolicyDocument composed = compose(global, api, INHERIT);
        assertThat(composed).isEqualTo(new PolicyDocument(
                List.of(header("G-In"), AuthenticationCertificate.byId("c1")),
                List.of(new ForwardRequest(20, false)),
                List.of(),
                List.of(header("G-Err"))));
        assertThat(PolicyComposer.forwardRequestOf(composed)).isEqualTo(new ForwardRequest(20, false));
    }

    @Test
    void composedDocumentsContainNoBase() {
        PolicyDocument everywhere = new PolicyDocument(List.of(BASE, header("X")), List.of(BASE), List.of(header("Y"), BASE),
                List.of(BASE));
        PolicyDocument composed = compose(everywhere, INHERIT, everywhere);
        for (Section section : Section.values()) {
            assertThat(composed.section(section)).doesNotHaveAnyElementsOfTypes(Base.class);
        }
        assertThat(composed.inbound()).containsExactly(header("X"), header("X"));
    }

    @Test
    void forwardRequestDefaultsWhenTheComposedBackendHasNone() {
        PolicyDocument composed = compose(backend(), INHERIT, INHERIT);
        assertThat(composed.backend()).isEmpty();
        assertThat(PolicyComposer.forwardRequestOf(composed)).isEqualTo(ForwardRequest.DEFAULT);
    }

    @Test
    void theLastForwardRequestWinsWhenScopesBringSeveral() {
        PolicyDocument composed = compose(backend(new ForwardRequest(60, true)),
                backend(BASE, new ForwardRequest(10, false)), INHERIT);
        assertThat(composed.backend()).containsExactly(new ForwardRequest(60, true), new ForwardRequest(10, false));
        assertThat(PolicyComposer.forwardRequestOf(composed)).isEqualTo(new ForwardRequest(10, false));
    }
}
