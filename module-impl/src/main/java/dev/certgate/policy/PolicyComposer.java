package dev.certgate.policy;

import dev.certgate.api.policy.PolicyDocument;

/** STUB (owner: policy work): built-in default → global → API → operation, resolving {@code <base/>}. */
public final class PolicyComposer {
    private PolicyComposer() {
    }

    /** Each argument may be {@link PolicyDocument#INHERIT}; the result contains no Base. */
    public static PolicyDocument compose(PolicyDocument global, PolicyDocument api, PolicyDocument operation) {
        throw new UnsupportedOperationException("stub");
    }
}
