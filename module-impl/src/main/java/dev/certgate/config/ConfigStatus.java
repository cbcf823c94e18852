package dev.certgate.config;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /admin/status} reports of the configuration: the generation serving (raised when what requests
 * see changes; a load whose every change was refused does not raise it), every error of the last load (empty when
 * it was good), the warnings about the files it read, how each API fared, and the products (listed, not applied).
 */
public record ConfigStatus(long generation, Instant loadedAt, List<ConfigError> errors,
                           List<ConfigWarning> warnings, List<ApiStatus> apis, List<Product> products) {
    public ConfigStatus {
        products = List.copyOf(products);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        apis = List.copyOf(apis);
    }

    /** The first error of the last load, or null when it was good. */
    public ConfigError lastError() {
        return errors.isEmpty() ? null : errors.get(0);
    }
}
