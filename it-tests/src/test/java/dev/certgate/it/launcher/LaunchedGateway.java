package dev.certgate.it.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar certgate.war} for a test class: a free port, and below {@code directory} its own temporary
 * directory, its home ({@code home}) and its console file ({@code console.txt}).
 */
final class LaunchedGateway {
    private LaunchedGateway() {
    }

    /** Starts the gateway with {@code options} after the port and home; {@link ConsoleProcess#awaitReady()} next. */
    static ConsoleProcess start(Path directory, List<String> options, Map<String, String> environment)
            throws IOException {
        return start(directory, List.of(), options, environment);
    }

    /** As {@link #start(Path, List, Map)}, with {@code jvmOptions} (such as {@code -Xmx48m}) given to Java. */
    static ConsoleProcess start(Path directory, List<String> jvmOptions, List<String> options,
                                Map<String, String> environment) throws IOException {
        Path temporary = Files.createDirectories(directory.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(ItPaths.java(), "-Djava.io.tmpdir=" + temporary));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", ItPaths.war().toString(), "--port", Integer.toString(ItPaths.freePort()),
                "--home", directory.resolve("home").toString()));
        command.addAll(options);
        return ConsoleProcess.start(command, directory, environment, directory.resolve("console.txt"));
    }
}
