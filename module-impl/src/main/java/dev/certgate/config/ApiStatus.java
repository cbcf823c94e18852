package dev.certgate.config;

import java.util.List;

/**
 * How one API came out of the last load, for {@code /admin/status}: served as its files say, served on its last good
 * configuration because its effective configuration now has errors, or unavailable (its calls answer 503). {@code
 * errors} are those of its effective configuration: its own files, the global policy, the backends and certificates it
 * uses. {@code path} is null when its information file could not be read.
 */
public record ApiStatus(String id, String path, State state, List<ConfigError> errors) {
    /** {@code NOT_CURRENT}: a revision ({@code id} is its folder, {@code <apiId>;rev=<n>}) loaded and not served. */
    public enum State { SERVED, LAST_GOOD, UNAVAILABLE, NOT_CURRENT }

    public ApiStatus {
        errors = List.copyOf(errors);
    }
}
