package dev.certgate.it.tomcat;

import dev.certgate.it.launcher.ConsoleProcess;
import dev.certgate.it.launcher.ItPaths;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Tomcat (one of the distributions the build unpacked to {@code target/tomcat}, by its version's start,
 * "10.1" or "11.0") in a separate JVM, with its own CATALINA_BASE as an operator would set one up: a free loopback
 * port, no shutdown port, a user {@code admin} in role {@code certgate-admin} in {@code tomcat-users.xml},
 * {@code -Dcertgate.home=...} and any further JVM arguments, and the WAR as {@code webapps/certgate.war}
 * (context path {@code /certgate}).
 */
public final class TomcatServer implements AutoCloseable {
    public static final List<String> VERSIONS = List.of("10.1", "11.0");
    static final String CONTEXT_PATH = "/certgate";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ConsoleProcess process;
    private final Path base;
    private final URI contextUri;
    private final String version;

    private TomcatServer(ConsoleProcess process, Path base, URI contextUri, String version) {
        this.process = process;
        this.base = base;
        this.contextUri = contextUri;
        this.version = version;
    }

    /** Lays out CATALINA_BASE in {@code base}, copies the WAR in and starts Tomcat (without waiting). */
    public static TomcatServer start(String version, Path base, Path certgateHome, String adminPassword,
                                     List<String> jvmArguments) throws IOException {
        return start(version, base, certgateHome, adminPassword, jvmArguments, List.of());
    }

    /** As above, with {@code otherWars} deployed beside it, each under its file name's context path. */
    public static TomcatServer start(String version, Path base, Path certgateHome, String adminPassword,
                                     List<String> jvmArguments, List<Path> otherWars) throws IOException {
        Path catalinaHome = catalinaHome(version);
        int port = ItPaths.freePort();
        for (String folder : List.of("conf", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(folder));
        }
        try (Stream<Path> files = Files.list(catalinaHome.resolve("conf"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        Path serverXml = base.resolve("conf/server.xml");
        Files.writeString(serverXml, Files.readString(serverXml)
                .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replaceFirst("<Connector port=\"8080\"", "<Connector address=\"127.0.0.1\" port=\"" + port + "\""));
        Files.writeString(base.resolve("conf/tomcat-users.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
                  <role rolename="certgate-admin"/>
                  <user username="admin" password="%s" roles="certgate-admin"/>
                </tomcat-users>
                """.formatted(adminPassword), StandardCharsets.UTF_8);
        Files.copy(ItPaths.war(), base.resolve("webapps/certgate.war"));
        for (Path war : otherWars) {
            Files.copy(war, base.resolve("webapps").resolve(war.getFileName()));
        }

        List<String> command = new ArrayList<>(List.of(ItPaths.java(),
                // as catalina.sh starts it: Tomcat's leak detection needs these on Java 17
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-Dcatalina.home=" + catalinaHome, "-Dcatalina.base=" + base,
                "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-Dcertgate.home=" + certgateHome));
        command.addAll(jvmArguments);
        command.addAll(List.of("-cp", catalinaHome.resolve("bin/bootstrap.jar") + java.io.File.pathSeparator
                        + catalinaHome.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        Map<String, String> environment = new HashMap<>();
        for (String variable : List.of("CERTGATE_HOME", "CERTGATE_ADMIN_PASSWORD", "CATALINA_OPTS", "JAVA_OPTS")) {
            environment.put(variable, null);
        }
        ConsoleProcess process = ConsoleProcess.start(command, base, environment, base.resolve("logs/console.txt"));
        return new TomcatServer(process, base, URI.create("http://127.0.0.1:" + port + CONTEXT_PATH + "/"), version);
    }

    /** Polls the health path until the application answers 200; fails with Tomcat's output otherwise. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(contextUri.resolve("status-0123456789abcdef"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Tomcat ended early; output:\n" + process.output());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Certgate on Tomcat was not ready within " + timeout + "; output:\n" + output());
    }

    /** {@code http://127.0.0.1:<port>/certgate/}. */
    public URI contextUri() {
        return contextUri;
    }

    /** Tomcat's console and catalina log, for failure messages. */
    public String output() {
        StringBuilder text = new StringBuilder(process.output());
        try (Stream<Path> logs = Files.list(base.resolve("logs"))) {
            for (Path log : (Iterable<Path>) logs.filter(p -> p.getFileName().toString().startsWith("localhost."))::iterator) {
                text.append("\n--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
            }
        } catch (IOException e) {
            text.append("\n(logs unreadable: ").append(e.getMessage()).append(')');
        }
        return text.toString();
    }

    /**
     * Stops Tomcat, then keeps its console and logs as {@code target/tomcat-<version>-<millis>.log}: its base is a
     * test's temporary folder, deleted after the test, and a failure in CI is explained by what Tomcat said.
     */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.terminate(STOP_TIMEOUT);
        }
        process.close();
        try {
            Files.writeString(ItPaths.target().resolve("tomcat-" + version + "-" + System.currentTimeMillis() + ".log"),
                    output(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the logs are a help for failures, not part of the test
        }
    }

    private static Path catalinaHome(String version) throws IOException {
        String folder = "apache-tomcat-" + version + ".";
        try (Stream<Path> unpacked = Files.list(ItPaths.target().resolve("tomcat"))) {
            return unpacked.filter(path -> path.getFileName().toString().startsWith(folder)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no Tomcat " + version + " in target/tomcat: run through Maven (mvn verify)"));
        }
    }
}
