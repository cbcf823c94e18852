package dev.certgate.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The login realm of the embedded Jetty: one user in role {@code certgate-admin} with a password made for
 * this run. arquillian.xml points {@code realmProperties} at {@link #FILE_PROPERTY}; the adapter names the
 * realm after the file ({@code certgate.properties} gives realm "certgate", as web.xml asks).
 */
public final class TestRealm {
    public static final String FILE_PROPERTY = "certgate.it.realmFile";
    public static final String USER = "certgate-it";
    public static final String ROLE = "certgate-admin";
    /** A user without the admin role: authenticated, yet refused. */
    public static final String OTHER_USER = "certgate-viewer";

    private static final String PASSWORD = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private static final String OTHER_PASSWORD = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));

    private TestRealm() {
    }

    public static String password() {
        return PASSWORD;
    }

    public static String otherPassword() {
        return OTHER_PASSWORD;
    }

    static void write() {
        String location = System.getProperty(FILE_PROPERTY);
        if (location == null) {
            throw new IllegalStateException("System property " + FILE_PROPERTY + " is not set (see it-tests/pom.xml)");
        }
        Path file = Path.of(location);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, USER + ": " + PASSWORD + "," + ROLE + "\n"
                    + OTHER_USER + ": " + OTHER_PASSWORD + ",viewer\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the test realm " + file, e);
        }
        Secrets.remember(PASSWORD);
        Secrets.remember(OTHER_PASSWORD);
    }
}
