package dev.certgate.it.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build put what the black-box tests run: it-tests/target, the WAR, the JVM. */
public final class ItPaths {
    private ItPaths() {
    }

    /** {@code it-tests/target}, found from the test classes' location ({@code target/test-classes}). */
    public static Path target() {
        try {
            return Path.of(ItPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The WAR the build copied to {@code target/certgate.war} (maven-dependency-plugin, pre-integration-test). */
    public static Path war() {
        Path war = target().resolve("certgate.war");
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war + " is missing: run the integration tests through Maven (mvn verify)");
        }
        return war;
    }

    /** The java launcher of the JVM running the tests, so child processes use the same Java. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A loopback port free at the time of the call. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
