package dev.certgate.config;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /admin/status} reports of the configuration: the generation serving (a refused load does not
 * raise it), every error of the last load (empty when it was good), and the warnings about the files it read.
 */
public record ConfigStatus(long generation, Instant loadedAt, List<ConfigError> errors,
                           List<ConfigWarning> warnings) {
    public ConfigStatus {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** The first error of the last load, or null when it was good. */
    public ConfigError lastError() {
        return errors.isEmpty() ? null : errors.get(0);
    }
}
