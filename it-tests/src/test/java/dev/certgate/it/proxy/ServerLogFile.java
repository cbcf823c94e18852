package dev.certgate.it.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the server has logged so far in this JVM, read from the file the shared log capture writes unbuffered
 * ({@code certgate.it.logFile}, set per Failsafe execution in it-tests/pom.xml).
 */
final class ServerLogFile {
    private ServerLogFile() {
    }

    static String text() {
        String location = System.getProperty("certgate.it.logFile");
        if (location == null) {
            throw new IllegalStateException("System property certgate.it.logFile is not set (see it-tests/pom.xml)");
        }
        try {
            return Files.readString(Path.of(location), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
