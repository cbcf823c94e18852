package dev.certgate.it.launcher;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code java -jar certgate.war} as a user runs it: a separate JVM on a free port and a fresh home. With
 * {@code --demo} the printed gateway call works, the printed direct call is refused, the console never shows
 * the admin password, SIGTERM stops it cleanly and a second start on the same home works the same way.
 * SIGTERM lets a request in flight finish before the JVM exits.
 */
class LauncherIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** The JVM's exit code after SIGTERM (128 + 15), once the shutdown hook has stopped the server. */
    private static final int EXIT_AFTER_SIGTERM = 143;

    private static final Pattern READY = Pattern.compile("^Certgate is ready");
    private static final Pattern GATEWAY_CALL = Pattern.compile("^  curl (http://\\S+)$");
    private static final Pattern DIRECT_CALL = Pattern.compile("^  curl --cacert (\\S+) (https://\\S+)$");
    private static final String GREETING = "Hello from the Certgate demo back end, CN=certgate-demo-client,O=Certgate demo!";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path directory;

    @Test
    void demoCallsItsMutualTlsBackEndThroughTheGatewayAndStartsAgainOnTheSameHome() throws Exception {
        Path home = directory.resolve("home");
        Path passwordFile = home.resolve("secrets").resolve("admin.password");

        String firstOutput;
        try (ConsoleProcess first = startDemo(home, "first")) {
            first.awaitLine(READY, START_TIMEOUT);
            assertGatewayAndDirectCalls(first);

            firstOutput = first.output();
            assertThat(firstOutput).contains("Generated the admin password (user admin) in " + passwordFile);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile.getParent())))
                    .isEqualTo("rwx------");
            assertAdminApiNeedsThePassword(first, Files.readString(passwordFile).strip());

            assertThat(first.terminate(STOP_TIMEOUT)).isEqualTo(EXIT_AFTER_SIGTERM);
        }
        String password = Files.readString(passwordFile).strip();
        assertThat(firstOutput).doesNotContain(password);
        assertThat(launcherTemporaryFolders()).as("the unpacked launcher and web application are removed").isEmpty();
        assertThat(home.resolve("config/apis/demo/apiInformation.json")).exists();
        assertThat(home.resolve("config/certificates/demo-client/certificateInformation.json")).exists();

        // The second start asks for the demo by environment variable, as a container's settings would.
        try (ConsoleProcess second = start(List.of("--port", Integer.toString(ItPaths.freePort()), "--home",
                home.toString()), Map.of("CERTGATE_DEMO", "true"), "second")) {
            second.awaitLine(READY, START_TIMEOUT);
            assertGatewayAndDirectCalls(second);
            assertThat(second.output())
                    .contains("Admin API: user admin, password in " + passwordFile)
                    .doesNotContain(password);
            assertThat(Files.readString(passwordFile).strip()).as("the password is kept").isEqualTo(password);
            assertThat(second.terminate(STOP_TIMEOUT)).isEqualTo(EXIT_AFTER_SIGTERM);
        }
    }

    /** Also: settings come from the environment in the standalone server (the admin body limit as the example). */
    @Test
    void sigtermLetsARequestInFlightFinishAndTheEnvironmentPasswordAndSettingsAreUsed() throws Exception {
        String password = "launcher-it-environment-password";
        CountDownLatch requestArrived = new CountDownLatch(1);
        HttpServer slowBackEnd = startSlowBackEnd(2_000, requestArrived::countDown);
        Path home = directory.resolve("home");
        try (ConsoleProcess gateway = start(List.of("--port", Integer.toString(ItPaths.freePort()), "--home", home.toString()),
                Map.of("CERTGATE_ADMIN_PASSWORD", password, "CERTGATE_ADMIN_MAX_BODY_BYTES", "4096"), "graceful")) {
            URI base = gateway.awaitReady();
            assertThat(gateway.output()).contains("Admin API: user admin, password from CERTGATE_ADMIN_PASSWORD");
            assertThat(home.resolve("secrets/admin.password")).doesNotExist();

            createApi(base, password, "slow", "Slow", slowBackEnd.getAddress().getPort());
            HttpResponse<String> overLimit = putApi(base, password, "too-large",
                    "{\"properties\": {\"description\": \"%s\"}}".formatted("x".repeat(4096)));
            assertThat(overLimit.statusCode()).as(overLimit.body()).isEqualTo(413);
            assertThat(overLimit.body()).contains("PayloadTooLarge").contains("limit of 4096 bytes");

            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                    HttpRequest.newBuilder(base.resolve("slow/wait")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(requestArrived.await(30, TimeUnit.SECONDS)).as("the request reached the back end").isTrue();
            assertThat(gateway.terminate(STOP_TIMEOUT)).isEqualTo(EXIT_AFTER_SIGTERM);

            HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).isEqualTo("slow answer");
            assertThat(gateway.output()).doesNotContain(password);
        } finally {
            slowBackEnd.stop(0);
        }
    }

    /**
     * Issue 16: requests waiting for a slow back end hold no container thread, and a burst of callers does not grow
     * Jetty's pool past its cap ({@code --threads}, 64 by default). Before the cap, 1,000 callers grew the launcher
     * to 154 live threads.
     */
    @Test
    void fiveHundredCallersWaitingForASlowBackEndAreServedWithFewerThanOneHundredThreads() throws Exception {
        String password = "launcher-it-threads-password";
        HttpServer slowBackEnd = startSlowBackEnd(1_000, () -> { });
        Path home = directory.resolve("home");
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        HttpClient callers = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try (ConsoleProcess gateway = start(List.of("--port", Integer.toString(ItPaths.freePort()), "--home", home.toString()),
                Map.of("CERTGATE_ADMIN_PASSWORD", password), "threads")) {
            URI base = gateway.awaitReady();
            createApi(base, password, "slow", "Slow", slowBackEnd.getAddress().getPort());

            Path tasks = Path.of("/proc", Long.toString(gateway.pid()), "task");
            assumeTrue(Files.isDirectory(tasks), "counts threads through /proc (Linux)");
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                calls.add(callers.sendAsync(HttpRequest.newBuilder(base.resolve("slow/wait?call=" + i))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
            long peak = 0;
            while (!all.isDone()) {
                try (Stream<Path> threads = Files.list(tasks)) {
                    peak = Math.max(peak, threads.count());
                }
                Thread.sleep(50);
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                // On failure, the gateway's own lines about the request (its log goes with the temporary home).
                assertThat(call.get().statusCode()).as(() -> call.join().body() + "\n"
                        + gateway.output().lines().filter(line -> line.contains(
                                call.join().headers().firstValue("X-Request-Id").orElse("?")))
                        .collect(Collectors.joining("\n"))).isEqualTo(200);
            }
            assertThat(peak).as("the launcher's live threads while 500 requests waited").isLessThan(100);
        } finally {
            clientThreads.shutdownNow();
            slowBackEnd.stop(0);
        }
    }

    /** TRACE is refused by the launcher's Jetty (its default descriptor) before the gateway would forward it. */
    @Test
    void traceIsRefusedAndNeverReachesTheBackEnd() throws Exception {
        String password = "launcher-it-trace-password";
        AtomicInteger backEndRequests = new AtomicInteger();
        HttpServer backEnd = startSlowBackEnd(0, backEndRequests::incrementAndGet);
        try (ConsoleProcess gateway = start(List.of("--port", Integer.toString(ItPaths.freePort()), "--home",
                directory.resolve("home").toString()), Map.of("CERTGATE_ADMIN_PASSWORD", password), "trace")) {
            URI base = gateway.awaitReady();
            createApi(base, password, "echo", "Echo", backEnd.getAddress().getPort());
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("echo/x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("a GET goes through").isEqualTo(200);

            HttpResponse<String> trace = http.send(HttpRequest.newBuilder(base.resolve("echo/x"))
                    .method("TRACE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(trace.statusCode()).as(trace.body()).isEqualTo(403);
            assertThat(trace.body()).contains("\"reason\" : \"Forbidden\"");
            assertThat(backEndRequests.get()).as("requests the back end received").isEqualTo(1);
        } finally {
            backEnd.stop(0);
        }
    }

    /**
     * The launcher's Jetty 12.1 resets a caller's connection when the back end's body breaks off after the answer
     * started: an HTTP/1.0 caller, whose answer ends with the connection, must not read a clean end.
     */
    @Test
    void aBackEndBodyThatBreaksOffResetsTheCallersConnection() throws Throwable {
        callThroughRawBackEnd("breaks", LauncherIT::breakOffEveryAnswer, "HTTP/1.0\r\nHost: gateway\r\n\r\n",
                caller -> {
                    ByteArrayOutputStream seen = new ByteArrayOutputStream();
                    assertThatThrownBy(() -> caller.getInputStream().transferTo(seen))
                            .as("the caller's read must fail, not end cleanly")
                            .isInstanceOf(SocketException.class).hasMessageContaining("reset");
                    assertThat(seen.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
                });
    }

    /**
     * The launcher's Jetty gathers writes up to its whole response buffer (32 KiB), not a quarter of it: an answer of
     * known length that fits leaves in one write with its head, although the back end sent it in two parts 300 ms
     * apart, each larger than Jetty's default gathering size of 8 KiB.
     */
    @Test
    void anAnswerThatFitsTheResponseBufferLeavesInOneWriteThoughTheBackEndSentItInParts() throws Throwable {
        int first = 12_000;
        int second = 9_000;
        callThroughRawBackEnd("parts", backEnd -> answerInTwoParts(backEnd, first, second),
                "HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n", caller -> {
                    byte[] firstRead = new byte[64 * 1024];
                    int n = caller.getInputStream().read(firstRead);
                    String head = new String(firstRead, 0, n, StandardCharsets.ISO_8859_1);
                    assertThat(head).startsWith("HTTP/1.1 200");
                    int bodyStart = head.indexOf("\r\n\r\n") + 4;
                    assertThat(n - bodyStart).as("body bytes in the caller's first read").isEqualTo(first + second);
                    assertThat(head.substring(bodyStart)).isEqualTo("a".repeat(first) + "b".repeat(second));
                });
    }

    /**
     * Launches a gateway with API {@code api} in front of a plain HTTP back end served by {@code answering} on a
     * loopback socket, sends {@code GET /api/x} followed by {@code requestRest} (version and fields) from a raw
     * socket, and hands that socket to {@code call}.
     */
    private void callThroughRawBackEnd(String api, Consumer<ServerSocket> answering, String requestRest,
                                      ThrowingConsumer<Socket> call) throws Throwable {
        String password = "launcher-it-" + api + "-password";
        try (ServerSocket backEnd = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> answering.accept(backEnd), api + "-back-end");
            serving.setDaemon(true);
            serving.start();
            try (ConsoleProcess gateway = start(List.of("--port", Integer.toString(ItPaths.freePort()), "--home",
                    directory.resolve("home").toString()), Map.of("CERTGATE_ADMIN_PASSWORD", password), api)) {
                URI base = gateway.awaitReady();
                createApi(base, password, api, api, backEnd.getLocalPort());

                try (Socket caller = new Socket(base.getHost(), base.getPort())) {
                    caller.setSoTimeout(20_000);
                    caller.getOutputStream().write(("GET " + base.resolve(api + "/x").getRawPath() + " " + requestRest)
                            .getBytes(StandardCharsets.ISO_8859_1));
                    call.accept(caller);
                }
            }
        }
    }

    /** A plain HTTP back end that answers {@code first} bytes of "a", then after 300 ms {@code second} of "b". */
    private static void answerInTwoParts(ServerSocket server, int first, int second) {
        while (true) {
            try (Socket socket = server.accept()) {
                readHead(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + (first + second)
                        + "\r\n\r\n" + "a".repeat(first)).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(300);
                out.write("b".repeat(second).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                socket.getInputStream().read(); // until the gateway is done with the connection
            } catch (IOException e) {
                return; // the server socket was closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Reads a request's head, up to its blank line. */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** A plain HTTP back end that starts a chunked answer, then resets the connection. */
    private static void breakOffEveryAnswer(ServerSocket server) {
        while (true) {
            try (Socket socket = server.accept()) {
                readHead(socket.getInputStream());
                socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst \r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                Thread.sleep(300); // the gateway passes the first part on and commits the answer
                socket.setSoLinger(true, 0);
            } catch (IOException e) {
                return; // the server socket was closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private ConsoleProcess startDemo(Path home, String name) throws IOException {
        return start(List.of("--demo", "--port", Integer.toString(ItPaths.freePort()), "--home", home.toString()),
                Map.of(), name);
    }

    private ConsoleProcess start(List<String> arguments, Map<String, String> variables, String name) throws IOException {
        Path temporary = Files.createDirectories(directory.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(ItPaths.java(), "-Djava.io.tmpdir=" + temporary, "-jar",
                ItPaths.war().toString()));
        command.addAll(arguments);
        return ConsoleProcess.start(command, directory, variables, directory.resolve(name + "-console.txt"));
    }

    /**
     * A plain-HTTP back end that answers "slow answer" {@code millis} after each request arrives, on the test's
     * threads (one per request), never the gateway's.
     */
    private static HttpServer startSlowBackEnd(long millis, Runnable onRequest) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            onRequest.run();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "slow answer".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    /** Creates API {@code id} at path {@code id}, forwarding over plain HTTP to the back end on {@code port}. */
    private void createApi(URI base, String password, String id, String displayName, int port) throws Exception {
        HttpResponse<String> api = putApi(base, password, id, """
                {"properties": {"displayName": "%s", "path": "%s", "serviceUrl": "http://127.0.0.1:%d", "protocols": ["http"]}}"""
                .formatted(displayName, id, port));
        assertThat(api.statusCode()).as(api.body()).isEqualTo(201);
    }

    private HttpResponse<String> putApi(URI base, String password, String id, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("admin/apis/" + id))
                .header("Authorization", basicAuthorization(password)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basicAuthorization(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The two printed {@code curl} calls, made with java.net.http: through the gateway works, direct is refused. */
    private void assertGatewayAndDirectCalls(ConsoleProcess process) throws Exception {
        Matcher gatewayCall = process.awaitLine(GATEWAY_CALL, Duration.ZERO);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gatewayCall.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains(GREETING);

        // Trusting the demo CA, as the printed --cacert does: the refusal is about the missing client certificate.
        Matcher directCall = process.awaitLine(DIRECT_CALL, Duration.ZERO);
        HttpClient withoutClientCertificate = HttpClient.newBuilder().sslContext(trusting(Path.of(directCall.group(1))))
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest direct = HttpRequest.newBuilder(URI.create(directCall.group(2))).timeout(Duration.ofSeconds(10)).build();
        // An alert received from the back end: it refused us, not we it.
        assertThatThrownBy(() -> withoutClientCertificate.send(direct, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageMatching("Received fatal alert: (bad_certificate|certificate_required)");
    }

    private void assertAdminApiNeedsThePassword(ConsoleProcess process, String password) throws Exception {
        URI status = URI.create(process.awaitLine(GATEWAY_CALL, Duration.ZERO).group(1)).resolve("/admin/status");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(status).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        HttpResponse<String> admin = http.send(HttpRequest.newBuilder(status).header("Authorization", basicAuthorization(password))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        assertThat(admin.body()).contains("\"apis\"");
    }

    private List<Path> launcherTemporaryFolders() throws IOException {
        try (Stream<Path> entries = Files.list(directory.resolve("tmp"))) {
            return entries.filter(path -> path.getFileName().toString().startsWith("certgate-")).toList();
        }
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trusted.setCertificateEntry("demo-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
