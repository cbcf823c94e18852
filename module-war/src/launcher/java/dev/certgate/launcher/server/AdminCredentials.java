package dev.certgate.launcher.server;

import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.LoginService;
import org.eclipse.jetty.security.UserStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The standalone admin user (CONTRACT §5): {@code admin} in role {@code certgate-admin}, its password from
 * {@code CERTGATE_ADMIN_PASSWORD} or {@code <home>/secrets/admin.password}, which the first start
 * generates owner-only. The password itself is never printed or logged; only the file's path is.
 */
final class AdminCredentials {
    static final String USER = "admin";
    static final String ROLE = "certgate-admin";
    static final String PASSWORD_VARIABLE = "CERTGATE_ADMIN_PASSWORD";

    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final int RANDOM_BYTES = 18;

    private final String password;

    private AdminCredentials(String password) {
        this.password = password;
    }

    /** Takes the password from the environment or the home, generating the file on first start. */
    static AdminCredentials resolve(Path home, Map<String, String> environment, PrintStream console) throws IOException {
        String fromEnvironment = environment.get(PASSWORD_VARIABLE);
        if (fromEnvironment != null) {
            if (fromEnvironment.isEmpty()) {
                throw new IllegalStateException(PASSWORD_VARIABLE + " is set but empty");
            }
            console.println("Admin API: user " + USER + ", password from " + PASSWORD_VARIABLE);
            return new AdminCredentials(fromEnvironment);
        }
        Path file = home.resolve("secrets").resolve("admin.password");
        if (Files.exists(file)) {
            console.println("Admin API: user " + USER + ", password in " + file);
            return new AdminCredentials(read(file));
        }
        String generated = generate();
        write(file, generated);
        console.println("Generated the admin password (user " + USER + ") in " + file + ", readable only by you");
        return new AdminCredentials(generated);
    }

    /** A realm for the embedded Jetty: the one admin user and its role, the password taken literally. */
    LoginService loginService(String realmName) {
        UserStore users = new UserStore();
        users.addUser(USER, new LiteralCredential(password), new String[] {ROLE});
        HashLoginService service = new HashLoginService(realmName);
        service.setUserStore(users);
        return service;
    }

    /** The {@code Authorization} header value for calls of the launcher's own admin client (the demo). */
    String basicAuthorization() {
        String pair = USER + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AdminCredentials[" + USER + ", redacted]";
    }

    private static String read(Path file) throws IOException {
        if (posix()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY_FILE.containsAll(permissions)) {
                throw new IllegalStateException(file + " is open to other users ("
                        + PosixFilePermissions.toString(permissions) + "); make it owner-only: chmod 600 " + file);
            }
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new IllegalStateException(file + " is empty; delete it to have a new password generated");
        }
        return password;
    }

    private static String generate() {
        byte[] random = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Owner-only folder and file, the content written to a temporary file first and renamed into place. */
    private static void write(Path file, String password) throws IOException {
        Path folder = file.getParent();
        Path temporary;
        if (posix()) {
            Files.createDirectories(folder, asAttribute(OWNER_ONLY_FOLDER));
            temporary = Files.createTempFile(folder, "admin.password", ".tmp", asAttribute(OWNER_ONLY_FILE));
        } else {
            Files.createDirectories(folder);
            temporary = Files.createTempFile(folder, "admin.password", ".tmp");
        }
        try {
            Files.writeString(temporary, password + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> asAttribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
