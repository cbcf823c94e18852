package dev.certgate.api.policy;

/** {@code <forward-request timeout follow-redirects>}; defaults 300 s and no redirects (CONTRACT §3). */
public record ForwardRequest(int timeoutSeconds, boolean followRedirects) implements Policy {
    public static final int DEFAULT_TIMEOUT_SECONDS = 300;
    public static final ForwardRequest DEFAULT = new ForwardRequest(DEFAULT_TIMEOUT_SECONDS, false);
}
