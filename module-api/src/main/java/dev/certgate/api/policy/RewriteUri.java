package dev.certgate.api.policy;

/** {@code <rewrite-uri template copy-unmatched-params>}; APIM's default copies unmatched query parameters. */
public record RewriteUri(String template, boolean copyUnmatchedParams) implements Policy {
}
