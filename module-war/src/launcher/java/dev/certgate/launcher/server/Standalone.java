package dev.certgate.launcher.server;

import dev.certgate.launcher.LauncherOptions;
import dev.certgate.launcher.server.demo.Demo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The launcher's server side, loaded next to Jetty by {@code dev.certgate.launcher.Main}: prepares the home
 * and the admin user, starts the gateway (and with {@code --demo} the demo) and answers a handle that
 * stops everything in reverse order.
 */
public final class Standalone {
    private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);

    private Standalone() {
    }

    /** Starts and returns once Certgate serves; closing the result stops it gracefully. */
    public static AutoCloseable start(Path war, Path workDirectory, LauncherOptions options) throws Exception {
        PrintStream console = System.out;
        Deque<AutoCloseable> started = new ArrayDeque<>();
        AutoCloseable stopAll = () -> stopAll(started);
        try {
            Files.createDirectories(options.home());
            AdminCredentials admin = AdminCredentials.resolve(options.home(), System.getenv(), console);
            Demo demo = null;
            if (options.demo()) {
                demo = Demo.startBackend();
                started.push(demo);
            }
            GatewayServer gateway = GatewayServer.start(war, workDirectory.resolve("webapp"), options, admin);
            started.push(gateway);
            console.println("Certgate " + version() + " serves " + gateway.localUri() + " (home " + options.home() + ")");
            if (demo != null) {
                demo.configure(gateway.localUri(), admin.basicAuthorization());
                demo.printInstructions(console, gateway.localUri(), options.home());
            }
            console.println("Certgate is ready. Stop it with Ctrl+C or SIGTERM.");
            return stopAll;
        } catch (Exception e) {
            LOG.error("Certgate could not start", e);
            stopAll.close();
            throw e;
        }
    }

    private static void stopAll(Deque<AutoCloseable> started) throws Exception {
        Exception failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                LOG.warn("Stopping failed", e);
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static String version() {
        String version = LauncherOptions.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
