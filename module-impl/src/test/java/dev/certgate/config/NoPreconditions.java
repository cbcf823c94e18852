package dev.certgate.config;

/** For tests that write without conditional header fields, as a caller that sends neither. */
public final class NoPreconditions {
    public static final Preconditions NONE = new Preconditions(null, null);

    private NoPreconditions() {
    }
}
