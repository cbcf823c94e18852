package dev.certgate.api.model;

/**
 * The admin API's entity envelope in APIM's shape: {@code {"id": "/certificates/c1", "name": "c1",
 * "properties": {...}}}. On disk only {@code properties} is written.
 */
public record Entity<P>(String id, String name, P properties) {
    public static <P> Entity<P> of(String collection, String name, P properties) {
        return new Entity<>("/" + collection + "/" + name, name, properties);
    }
}
