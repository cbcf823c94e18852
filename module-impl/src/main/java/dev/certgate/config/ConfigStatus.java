package dev.certgate.config;

import java.time.Instant;

/** What {@code GET /admin/status} reports of the configuration: a refused load does not raise the generation. */
public record ConfigStatus(long generation, Instant loadedAt, ConfigError lastError) {
}
