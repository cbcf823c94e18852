package dev.certgate.config;

/**
 * An admin write's conditional header fields (RFC 9110 §13.1), each as sent or null: {@code If-Match} lets it
 * proceed only over the version its caller read ({@code *}: over any version), {@code If-None-Match: *} only where
 * nothing is yet (create, never replace), {@code If-None-Match} with ETags only where none of them is current.
 */
public record Preconditions(String ifMatch, String ifNoneMatch) {
    boolean none() {
        return ifMatch == null && ifNoneMatch == null;
    }
}
