package dev.certgate.policy;

/**
 * A policy rule broken, said in words a person fixing the file understands. Carries no position, or the element
 * inside the policy it is about (an {@code <origin>} of a {@code <cors>}); the parser adds where.
 */
final class RuleViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient XmlNode at;

    RuleViolation(String reason) {
        this(reason, null);
    }

    RuleViolation(String reason, XmlNode at) {
        // No stack trace: this is an expected answer about the input, always caught in this package.
        super(reason, null, false, false);
        this.at = at;
    }

    /** The element inside the policy the rule is about; null for the policy itself. */
    XmlNode at() {
        return at;
    }
}
