package dev.certgate.policy;

import dev.certgate.api.policy.PolicyDocument;

/** STUB (owner: policy work): serialises a PolicyDocument to readable XML; parse(write(d)) equals d. */
public final class PolicyWriter {
    private PolicyWriter() {
    }

    public static String write(PolicyDocument document) {
        throw new UnsupportedOperationException("stub");
    }
}
