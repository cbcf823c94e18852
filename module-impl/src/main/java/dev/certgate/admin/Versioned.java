package dev.certgate.admin;

/** An admin answer body with its ETag (quoted, or null) and, for writes, whether the entity was created. */
public record Versioned<T>(T body, String etag, boolean created) {
    public static <T> Versioned<T> read(T body, String etag) {
        return new Versioned<>(body, etag, false);
    }
}
