package dev.certgate.config;

import java.util.List;

/**
 * What a load produced: a valid snapshot (generation 0, not yet published) or every error found, and in either
 * case the warnings about the files it read.
 */
public record LoadResult(GatewaySnapshot snapshot, List<ConfigError> errors, List<ConfigWarning> warnings) {
    public LoadResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        if ((snapshot == null) == errors.isEmpty()) {
            throw new IllegalArgumentException("a load has either a snapshot or errors");
        }
    }

    public boolean valid() {
        return snapshot != null;
    }
}
