package dev.certgate.config;

/** One problem of a configuration load: file relative to the home, line and column from 1 (null if unknown). */
public record ConfigError(String file, Integer line, Integer column, String message) {

    /** An error about a whole file or folder, without a position. */
    public static ConfigError of(String file, String message) {
        return new ConfigError(file, null, null, message);
    }

    /** {@code "line:column: message"}, or just the message when the position is unknown. */
    public String positionedMessage() {
        return line == null ? message : line + ":" + (column == null ? "?" : column) + ": " + message;
    }

    /** {@code "file:line:column: message"}, for logs. */
    public String describe() {
        return file + (line == null ? ": " : ":") + positionedMessage();
    }
}
