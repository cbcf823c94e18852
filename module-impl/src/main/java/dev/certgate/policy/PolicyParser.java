package dev.certgate.policy;

import dev.certgate.api.policy.PolicyDocument;

/** STUB (owner: policy work): parses policy.xml text safely into a PolicyDocument. */
public final class PolicyParser {
    public static final int MAX_BYTES = 256 * 1024;

    private PolicyParser() {
    }

    /**
     * @param xml    the document text
     * @param source what to call it in errors (a path relative to the home, or "request body")
     * @throws PolicyException for anything not accepted, naming line, column, element and reason
     */
    public static PolicyDocument parse(String xml, String source) {
        throw new UnsupportedOperationException("stub");
    }
}
