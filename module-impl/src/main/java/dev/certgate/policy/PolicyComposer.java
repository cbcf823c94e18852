package dev.certgate.policy;

import dev.certgate.api.policy.Base;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.Section;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Composes the effective policy of a request from its scopes (CONTRACT §3), innermost last:
 * built-in default → global → API → operation.
 *
 * <ul>
 *   <li>The built-in default has {@code <forward-request />} (300 s, no redirects) in its backend
 *       section and nothing in the others, so {@code <base />} in the global policy means it.</li>
 *   <li>Section by section, a scope's {@code <base />} is replaced by the enclosing scope's composed
 *       section, at that very position: policies before it run first, policies after it run after.
 *       (The parser allows one {@code <base />} per section; should a document built in code hold
 *       several, each is replaced.)</li>
 *   <li>A section without {@code <base />} replaces the enclosing scope's section entirely; an empty
 *       section therefore runs nothing from the outer scopes.</li>
 *   <li>A scope without a policy file is {@link PolicyDocument#INHERIT} ({@code [Base]} everywhere)
 *       and changes nothing; so is a section missing from a file.</li>
 * </ul>
 * The result contains no {@link Base}. Use {@link #forwardRequestOf} for the forwarding settings.
 */
public final class PolicyComposer {
    /** The scope above the global one. */
    public static final PolicyDocument BUILT_IN_DEFAULT = new PolicyDocument(
            List.of(), List.of(ForwardRequest.DEFAULT), List.of(), List.of());

    private PolicyComposer() {
    }

    /** Each argument may be {@link PolicyDocument#INHERIT}; the result contains no Base. */
    public static PolicyDocument compose(PolicyDocument global, PolicyDocument api, PolicyDocument operation) {
        PolicyDocument composed = BUILT_IN_DEFAULT;
        for (PolicyDocument scope : List.of(global, api, operation)) {
            composed = nest(composed, Objects.requireNonNull(scope, "scope"));
        }
        return composed;
    }

    /**
     * The forwarding settings of a composed document. A request is always forwarded: a backend
     * section without {@code <forward-request>} forwards with {@link ForwardRequest#DEFAULT}.
     * Composition can bring one from each scope (e.g. {@code <base /><forward-request timeout="10" />});
     * the last one in the section wins, which is the innermost scope's when it follows {@code <base />}.
     */
    public static ForwardRequest forwardRequestOf(PolicyDocument composed) {
        ForwardRequest chosen = ForwardRequest.DEFAULT;
        for (Policy policy : composed.backend()) {
            if (policy instanceof ForwardRequest forward) {
                chosen = forward;
            }
        }
        return chosen;
    }

    private static PolicyDocument nest(PolicyDocument enclosing, PolicyDocument scope) {
        Map<Section, List<Policy>> sections = new EnumMap<>(Section.class);
        for (Section section : Section.values()) {
            List<Policy> result = new ArrayList<>();
            for (Policy policy : scope.section(section)) {
                if (policy instanceof Base) {
                    result.addAll(enclosing.section(section));
                } else {
                    result.add(policy);
                }
            }
            sections.put(section, result);
        }
        return new PolicyDocument(sections.get(Section.INBOUND), sections.get(Section.BACKEND),
                sections.get(Section.OUTBOUND), sections.get(Section.ON_ERROR));
    }
}
