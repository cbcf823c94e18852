package dev.certgate.it.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process whose standard output and error go to one file, read while it runs: files never block
 * the child the way an unread pipe does, and stay behind for a look after a failure.
 */
public final class ConsoleProcess implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    /** Long enough for a first start on a loaded 2-core machine: unpacking the WAR, making the master key. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern SERVES = Pattern.compile("^Certgate \\S+ serves (http://\\S+) ");
    private static final Pattern READY = Pattern.compile("^Certgate is ready");

    private final Process process;
    private final Path output;

    private ConsoleProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts {@code command} in {@code directory} with the inherited environment less every {@code CERTGATE_}
     * variable (a test must not depend on the shell that runs it), then {@code environment}'s edits (a null value
     * removes the variable).
     */
    public static ConsoleProcess start(List<String> command, Path directory, Map<String, String> environment,
                                       Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CERTGATE_"));
        for (Map.Entry<String, String> edit : environment.entrySet()) {
            if (edit.getValue() == null) {
                builder.environment().remove(edit.getKey());
            } else {
                builder.environment().put(edit.getKey(), edit.getValue());
            }
        }
        return new ConsoleProcess(builder.start(), output);
    }

    /** The operating system's id of the process. */
    public long pid() {
        return process.pid();
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until a line matches {@code pattern} and answers its match; fails with the output so far if the
     * process ends first or {@code timeout} passes.
     */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Matcher> match = output().lines().map(pattern::matcher).filter(Matcher::find).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError("the process ended with exit code " + process.exitValue()
                        + " before printing a line matching " + pattern + "; its output:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line matching " + pattern + " within " + timeout + "; output:\n" + output());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** For a launched gateway: waits until it serves and is ready, and answers its {@code http://host:port/}. */
    public URI awaitReady() throws InterruptedException {
        URI base = URI.create(awaitLine(SERVES, START_TIMEOUT).group(1));
        awaitLine(READY, START_TIMEOUT);
        return base;
    }

    /** Waits for the process to end by itself and answers its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process did not end within " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM ({@link Process#destroy()}) and answers the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
