package dev.certgate.policy;

/**
 * A policy document that cannot be accepted. Carries where (source, line, column from 1, element)
 * and why; {@link #getMessage()} reads "source:line:column: <element>: reason".
 */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String element;
    private final String reason;

    public PolicyException(String source, int line, int column, String element, String reason) {
        super(format(source, line, column, element, reason));
        this.source = source;
        this.line = line;
        this.column = column;
        this.element = element;
        this.reason = reason;
    }

    private static String format(String source, int line, int column, String element, String reason) {
        return source + ":" + line + ":" + column + ": " + (element == null ? "" : "<" + element + ">: ") + reason;
    }

    public String source() { return source; }
    public int line() { return line; }
    public int column() { return column; }
    /** The element at fault, or null when the document as a whole is (size, not well-formed). */
    public String element() { return element; }
    public String reason() { return reason; }
}
