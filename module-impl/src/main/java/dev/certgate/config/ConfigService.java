package dev.certgate.config;

import java.util.function.Consumer;

/**
 * STUB (owner: config work). Holds the current {@link GatewaySnapshot} of one home, reloads it
 * when files change (watch + periodic re-scan, debounced), and applies admin writes.
 */
public final class ConfigService implements AutoCloseable {
    /** The outcome of {@link #apply}: whether the primary file was created, and the snapshot now serving. */
    public record Applied(boolean created, GatewaySnapshot snapshot) {
    }

    public ConfigService(HomeLayout layout) {
        throw new UnsupportedOperationException("stub");
    }

    /** Creates the config folders if missing, loads once, starts watching. */
    public void start() {
        throw new UnsupportedOperationException("stub");
    }

    public HomeLayout layout() {
        throw new UnsupportedOperationException("stub");
    }

    /** The snapshot serving now; never null (an empty configuration before the first good load). */
    public GatewaySnapshot current() {
        throw new UnsupportedOperationException("stub");
    }

    public ConfigStatus status() {
        throw new UnsupportedOperationException("stub");
    }

    /** Loads the home now, publishing the result if valid; returns the snapshot serving afterwards. */
    public GatewaySnapshot reloadNow() {
        throw new UnsupportedOperationException("stub");
    }

    /** Called with every newly published snapshot (after the swap). */
    public void addListener(Consumer<GatewaySnapshot> listener) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Under the home's write lock (threads and processes): checks the change's If-Match preconditions
     * (412), validates the configuration as it would be after the change (400 with every error as a
     * detail), writes each step atomically, and publishes the new snapshot before returning.
     */
    public Applied apply(ConfigChange change) {
        throw new UnsupportedOperationException("stub");
    }

    /** The strong ETag of a file's current content (quoted), or null if it does not exist. */
    public String etagOf(java.nio.file.Path file) {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public void close() {
    }
}
