package dev.certgate.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real APIM configuration kept beside the project ({@code ../shared/realworld}: APIM's policy snippets and the
 * APIOps extractor's sample), read where it lies and never copied into the project. Found by walking up from the
 * working directory, or named by the system property {@code certgate.realworld}; without it the test is skipped.
 */
public final class RealWorld {
    private RealWorld() {
    }

    public static Path dir() {
        String named = System.getProperty("certgate.realworld");
        if (named != null && !named.isBlank()) {
            return Path.of(named).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("realworld");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        // A clone outside the workplace has no shared data: the tests that read it are skipped, not failed.
        Assumptions.abort("../shared/realworld not found above " + Path.of("").toAbsolutePath()
                + "; set -Dcertgate.realworld=<path> to run the tests against real APIM configuration");
        throw new AssertionError("unreachable: abort() throws");
    }

    /** The APIOps extractor's sample folder. */
    public static Path sample() {
        return dir().resolve("apiops-sample-artifacts");
    }

    /** APIM's policy snippets: every {@code .xml} under {@code policy-snippets/examples}, sorted. */
    public static List<Path> snippets() {
        return xmlFiles(dir().resolve("policy-snippets").resolve("examples"));
    }

    /** Every {@code .xml} file under {@code folder}, sorted. */
    public static List<Path> xmlFiles(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".xml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
