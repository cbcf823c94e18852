package dev.certgate.config;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /admin/status} reports of the configuration: the generation serving (a refused load does not
 * raise it) and every error of the last load, empty when it was good.
 */
public record ConfigStatus(long generation, Instant loadedAt, List<ConfigError> errors) {
    public ConfigStatus {
        errors = List.copyOf(errors);
    }

    /** The first error of the last load, or null when it was good. */
    public ConfigError lastError() {
        return errors.isEmpty() ? null : errors.get(0);
    }
}
