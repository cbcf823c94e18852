package dev.certgate.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link HomeLockTest}: holds a home's lock until told to let go, so the test can
 * show that another process waits for it. Arguments: the home, and a folder for the hand-shake files.
 */
public final class HomeLockHolder {
    private HomeLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path signals = Path.of(args[1]);
        try (HomeLock.Held held = new HomeLock(new HomeLayout(home).writeLock()).acquire()) {
            Files.createFile(signals.resolve("held"));
            while (!Files.exists(signals.resolve("release"))) {
                Thread.sleep(10);
            }
            Files.createFile(signals.resolve("released"));
        }
    }
}
