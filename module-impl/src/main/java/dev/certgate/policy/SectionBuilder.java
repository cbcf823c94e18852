package dev.certgate.policy;

import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.Section;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Collects one section's policies, enforcing the section-level rules: each policy in a section it
 * belongs to, and {@code <base />} and {@code <forward-request>} at most once (APIM allows one
 * {@code <base />}; two forwards would send the request twice).
 */
final class SectionBuilder {
    private final Section section;
    private final List<Policy> policies = new ArrayList<>();
    private final Set<PolicyKind> seen = EnumSet.noneOf(PolicyKind.class);

    SectionBuilder(Section section) {
        this.section = section;
    }

    /** Checks that one more policy of this kind may stand here; called before its attributes are read. */
    void admit(PolicyKind kind) {
        kind.checkAllowedIn(section);
        if (kind.oncePerSection() && !seen.add(kind)) {
            throw new RuleViolation("<" + kind.xmlName() + "> may appear only once in <" + section.xmlName() + ">");
        }
    }

    /** Appends a policy whose kind was {@linkplain #admit admitted}. */
    void add(Policy policy) {
        policies.add(policy);
    }

    List<Policy> policies() {
        return List.copyOf(policies);
    }
}
