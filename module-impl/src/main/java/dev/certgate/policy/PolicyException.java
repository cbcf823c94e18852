package dev.certgate.policy;

import java.util.List;

/**
 * A policy document that cannot be accepted, with every problem found in it (as many as {@link #MAX_PROBLEMS}),
 * in document order. Each carries where (source, line, column from 1, element) and why; the exception's own
 * fields are the first problem's, and {@link #getMessage()} reads "source:line:column: <element>: reason",
 * followed by how many more there are.
 */
public final class PolicyException extends RuntimeException {
    /** How many problems of one document are kept: a hostile document could otherwise make thousands. */
    public static final int MAX_PROBLEMS = 100;
    private static final long serialVersionUID = 1L;

    /** One problem: {@code element} is null when it concerns the document as a whole (size, not well-formed). */
    public record Problem(String source, int line, int column, String element, String reason) {
        /** {@code "source:line:column: <element>: reason"}. */
        public String describe() {
            return source + ":" + line + ":" + column + ": " + positionedReason();
        }

        /** {@code "<element>: reason"}, or just the reason. */
        public String positionedReason() {
            return (element == null ? "" : "<" + element + ">: ") + reason;
        }
    }

    private final transient List<Problem> problems;

    public PolicyException(String source, int line, int column, String element, String reason) {
        this(List.of(new Problem(source, line, column, element, reason)));
    }

    /** @param problems at least one, in document order */
    public PolicyException(List<Problem> problems) {
        super(problems.get(0).describe() + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, the first being this exception's own. */
    public List<Problem> problems() {
        return problems;
    }

    public String source() { return problems.get(0).source(); }
    public int line() { return problems.get(0).line(); }
    public int column() { return problems.get(0).column(); }
    /** The element at fault, or null when the document as a whole is (size, not well-formed). */
    public String element() { return problems.get(0).element(); }
    public String reason() { return problems.get(0).reason(); }
}
