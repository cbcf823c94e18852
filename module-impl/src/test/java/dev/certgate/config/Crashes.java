package dev.certgate.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Simulated crashes of a {@link ChangeJournal} apply, and what a test compares before and after one. */
final class Crashes {
    /** Thrown at a checkpoint: an Error, so no clean-up runs, as if the process had died there. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(ChangeJournal.Phase phase, int count) {
            super("simulated crash at " + phase + " " + count);
        }
    }

    /** A point an apply reaches: after the {@code count}-th staged file, the commit, or the count-th step. */
    record Point(ChangeJournal.Phase phase, int count) {
        boolean committed() {
            return phase != ChangeJournal.Phase.STAGED;
        }

        @Override
        public String toString() {
            return phase + " " + count;
        }
    }

    /** Records every point an apply reaches, to crash at each in turn. */
    static final class Recorder implements ChangeJournal.Checkpoint {
        final List<Point> points = new ArrayList<>();

        @Override
        public void reached(ChangeJournal.Phase phase, int count) {
            points.add(new Point(phase, count));
        }
    }

    private Crashes() {
    }

    /** A checkpoint that crashes the first time {@code point} is reached. */
    static ChangeJournal.Checkpoint at(Point point) {
        return (phase, count) -> {
            if (phase == point.phase() && count == point.count()) {
                throw new SimulatedCrash(phase, count);
            }
        };
    }

    /** Every file under the home (hidden ones included, the lock file excepted) with its content, by relative path. */
    static Map<String, String> files(Path home) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                String name = home.relativize(file).toString().replace('\\', '/');
                if (!name.equals(".write.lock")) {
                    files.put(name, Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
