package dev.certgate.admin;

/**
 * An admin answer body with its ETag (quoted, or null), for writes whether the entity was created, and a warning
 * for the answer's {@code Warning} header (null for none): that what the files now say does not serve, or what is
 * accepted but worth saying about an upload.
 */
public record Versioned<T>(T body, String etag, boolean created, String warning) {
    public Versioned(T body, String etag, boolean created) {
        this(body, etag, created, null);
    }

    public static <T> Versioned<T> read(T body, String etag) {
        return new Versioned<>(body, etag, false);
    }

    public Versioned<T> withWarning(String text) {
        return new Versioned<>(body, etag, created, text);
    }
}
