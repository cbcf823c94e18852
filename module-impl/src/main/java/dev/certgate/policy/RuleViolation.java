package dev.certgate.policy;

/**
 * A policy rule broken, said in words a person fixing the file understands. Carries no position:
 * the parser adds where, the writer turns it into an {@link IllegalArgumentException}.
 */
final class RuleViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RuleViolation(String reason) {
        // No stack trace: this is an expected answer about the input, always caught in this package.
        super(reason, null, false, false);
    }
}
