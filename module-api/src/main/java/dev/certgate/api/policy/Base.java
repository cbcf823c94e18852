package dev.certgate.api.policy;

/** {@code <base />}: the enclosing scope's section, inserted at this position. */
public record Base() implements Policy {
    public static final Base INSTANCE = new Base();
}
