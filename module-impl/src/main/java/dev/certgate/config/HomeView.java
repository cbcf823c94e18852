package dev.certgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files the loader reads: the disk as it is, or the disk with a pending {@link ConfigChange}'s
 * steps laid over it, so a change can be validated as if applied without touching the disk. A step
 * decides a path when it is the last step that puts or deletes it (or deletes a folder above it);
 * paths no step decides are read from the disk.
 */
final class HomeView {
    private final List<ConfigChange.Step> steps;

    private HomeView(List<ConfigChange.Step> steps) {
        this.steps = List.copyOf(steps);
    }

    static HomeView disk() {
        return new HomeView(List.of());
    }

    /** The disk as it would be after {@code steps}; their paths must be absolute and normalised. */
    static HomeView overlay(List<ConfigChange.Step> steps) {
        return new HomeView(steps);
    }

    /** The file's bytes, or empty if it does not exist (or is not a regular file). */
    Optional<byte[]> read(Path file) throws IOException {
        ConfigChange.Step step = decisiveStep(file);
        if (step != null) {
            return written(step) ? Optional.of(step.content().clone()) : Optional.empty();
        }
        // Opening without a stat first: most loads read thousands of files, and a missing one is the rare case.
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** As {@link #read(Path)}, a failure to read being an error of the load that names the file: empty then. */
    Optional<byte[]> read(Path file, HomeLayout layout, List<ConfigError> errors) {
        try {
            return read(file);
        } catch (IOException e) {
            errors.add(ConfigError.of(layout.relative(file), "cannot read: " + e));
            return Optional.empty();
        }
    }

    boolean isFile(Path path) {
        ConfigChange.Step step = decisiveStep(path);
        return step != null ? written(step) : Files.isRegularFile(path);
    }

    boolean isDirectory(Path dir) {
        for (ConfigChange.Step step : steps) {
            if (written(step) && step.path().startsWith(dir) && !step.path().equals(dir)
                    && decisiveStep(step.path()) == step) {
                return true;
            }
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        return steps.stream().noneMatch(step -> step.tree() && dir.startsWith(step.path()));
    }

    /** The names of the files and folders directly in {@code dir}, sorted; empty if it does not exist. */
    SortedSet<String> list(Path dir) throws IOException {
        SortedSet<String> candidates = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> children = Files.list(dir)) {
                children.forEach(child -> candidates.add(child.getFileName().toString()));
            } catch (NoSuchFileException deletedMeanwhile) {
                // Same as an empty folder.
            }
        }
        for (ConfigChange.Step step : steps) {
            if (step.path().startsWith(dir) && !step.path().equals(dir)) {
                candidates.add(dir.relativize(step.path()).getName(0).toString());
            }
        }
        if (steps.isEmpty()) {
            return candidates;
        }
        SortedSet<String> present = new TreeSet<>();
        for (String name : candidates) {
            Path child = dir.resolve(name);
            if (isFile(child) || isDirectory(child)) {
                present.add(name);
            }
        }
        return present;
    }

    private ConfigChange.Step decisiveStep(Path file) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            ConfigChange.Step step = steps.get(i);
            if (step.tree() ? file.startsWith(step.path()) : file.equals(step.path())) {
                return step;
            }
        }
        return null;
    }

    private static boolean written(ConfigChange.Step step) {
        return !step.tree() && step.content() != null;
    }
}
