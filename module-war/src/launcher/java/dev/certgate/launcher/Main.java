package dev.certgate.launcher;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code java -jar certgate.war}: the WAR's Main-Class, at the WAR root where app servers never look.
 * It only uses the JDK: it reads the options, takes the embedded Jetty out of {@code WEB-INF/launcher}
 * into a class loader of its own and hands over to {@code dev.certgate.launcher.server.Standalone}.
 * Exit codes: 2 for bad options, 1 when the server cannot start; after SIGTERM the JVM's usual 143
 * once the server has stopped gracefully.
 */
public final class Main {
    static final String SERVER_ENTRY = "dev.certgate.launcher.server.Standalone";
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args, System.getenv());
        } catch (UsageException e) {
            System.err.println("certgate: " + e.getMessage());
            System.err.println();
            System.err.print(LauncherOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.help()) {
            System.out.print(LauncherOptions.USAGE);
            return;
        }
        try {
            start(options);
        } catch (Exception e) {
            System.err.println("certgate: could not start: " + describe(e));
            System.exit(EXIT_FAILED);
        }
    }

    private static void start(LauncherOptions options) throws Exception {
        Path war = warFile();
        LauncherClassPath classPath = LauncherClassPath.extract(war, options.demo());
        AtomicReference<AutoCloseable> running = new AtomicReference<>();
        // One hook, in order: stop the servers gracefully, then remove the unpacked jars they ran from.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeQuietly(running.getAndSet(null), System.err);
            classPath.close();
        }, "certgate-shutdown"));

        Thread.currentThread().setContextClassLoader(classPath.loader());
        Class<?> entry = Class.forName(SERVER_ENTRY, true, classPath.loader());
        try {
            Object server = entry.getMethod("start", Path.class, Path.class, LauncherOptions.class)
                    .invoke(null, war, classPath.workDirectory(), options);
            running.set((AutoCloseable) server);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Path warFile() throws URISyntaxException {
        Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(location)) {
            throw new IllegalStateException("the launcher must run from the WAR file (java -jar certgate.war), not from "
                    + location);
        }
        return location;
    }

    private static void closeQuietly(AutoCloseable closeable, PrintStream err) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            err.println("certgate: stopping failed: " + describe(e));
        }
    }

    /** The message chain of {@code e}, without stack traces (the log has those). */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }
}
