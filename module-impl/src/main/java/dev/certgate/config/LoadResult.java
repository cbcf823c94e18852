package dev.certgate.config;

import java.util.List;

/** What a load produced: a valid snapshot (generation 0, not yet published) or every error found. */
public record LoadResult(GatewaySnapshot snapshot, List<ConfigError> errors) {
    public LoadResult {
        errors = List.copyOf(errors);
        if ((snapshot == null) == errors.isEmpty()) {
            throw new IllegalArgumentException("a load has either a snapshot or errors");
        }
    }

    public boolean valid() {
        return snapshot != null;
    }
}
