package dev.certgate.config;

/** One problem of a configuration load: file relative to the home, line and column from 1 (null if unknown). */
public record ConfigError(String file, Integer line, Integer column, String message) {
}
