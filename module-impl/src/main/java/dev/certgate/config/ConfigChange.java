package dev.certgate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A set of file writes and deletions under the home that an admin call wants to make, applied
 * together by {@link ConfigService#apply}: its checks run under the write lock (guards, then the
 * {@link Preconditions}, so a missing entity is a 404 before it is a 412), validated as the
 * configuration would be after it, then written in order, all or nothing even across a crash
 * ({@link ChangeJournal}). Where steps touch the same path, the last decides.
 */
public final class ConfigChange {
    /** One step: content null means delete (a whole folder when {@code tree}). */
    public record Step(Path path, byte[] content, boolean tree) {
    }

    private final List<Step> steps = new ArrayList<>();
    private Path primary;
    private final List<Consumer<GatewaySnapshot>> guards = new ArrayList<>();
    private final List<Consumer<GatewaySnapshot>> preconditions = new ArrayList<>();

    public static ConfigChange create() {
        return new ConfigChange();
    }

    public ConfigChange put(Path file, byte[] content) {
        steps.add(new Step(file, content.clone(), false));
        return this;
    }

    public ConfigChange delete(Path file) {
        steps.add(new Step(file, null, false));
        return this;
    }

    public ConfigChange deleteTree(Path folder) {
        steps.add(new Step(folder, null, true));
        return this;
    }

    /** The entity's own file: its existence before the change decides 201 versus 200. */
    public ConfigChange primary(Path file) {
        this.primary = file;
        return this;
    }

    /** The change is refused with 412 unless {@code file}'s current version meets the caller's preconditions. */
    public ConfigChange preconditions(Path file, Preconditions conditions) {
        if (!Objects.requireNonNull(conditions).none()) {
            preconditions.add(onDisk -> EntityTags.require(file, conditions));
        }
        return this;
    }

    /**
     * A check run under the write lock against the configuration currently on disk, before anything is
     * written; it throws a CertgateException (409 for "still in use", 404 for "missing") to refuse.
     */
    public ConfigChange guard(Consumer<GatewaySnapshot> check) {
        guards.add(check);
        return this;
    }

    /** What to run against the configuration on disk before anything is written: guards, then preconditions. */
    public List<Consumer<GatewaySnapshot>> checks() {
        List<Consumer<GatewaySnapshot>> checks = new ArrayList<>(guards);
        checks.addAll(preconditions);
        return checks;
    }

    public List<Step> steps() { return List.copyOf(steps); }
    public Path primary() { return primary; }
}
