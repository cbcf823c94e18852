package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
import dev.certgate.it.tomcat.TomcatServer;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.PatternStream;
import dev.certgate.testsupport.TestCerts;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The non-blocking forwarding path in a real Tomcat, whose Servlet async I/O and connector are its own, not
 * Jetty's: the WAR as built, in a Tomcat with a 64 MiB heap, does what issue 16 asks of it on Jetty. Events are
 * flushed one by one, 100 MiB bodies stream both ways, a caller who leaves while its back end thinks drops the
 * back-end connection at once, a caller sending its body a byte a second ends with 408 at the deadline while
 * others are served, and an answer whose back end breaks off ends in a reset, never a clean close. One Tomcat per version serves every test; the subclasses name the version. Tagged
 * {@code async-only}: the Tomcat runs the default path whatever the Failsafe execution sets for its own JVM.
 */
@Tag("async-only")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TomcatForwarding {
    private static final String ADMIN_PASSWORD = "tomcat-forwarding-admin-password";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int BODY_DEADLINE_SECONDS = 3;
    private static final long HUNDRED_MIB = 100L * 1024 * 1024;

    private final MtlsBackend backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private final CountDownLatch thinking = new CountDownLatch(1);
    private final AtomicLong leftAt = new AtomicLong();
    /** Reads the request, then waits without a word until the gateway drops the connection, and notes when. */
    private final RawTlsBackend thinker = RawTlsBackend.start(TestCerts.server(), (socket, in, out, received) -> {
        RawTlsBackend.readHead(in, received);
        thinking.countDown();
        try {
            RawTlsBackend.readToEnd(in, received);
        } finally {
            leftAt.set(System.nanoTime());
        }
    });
    private final RawTlsBackend breaksOff = RawTlsBackend.start(TestCerts.server(), BrokenAnswers.BREAK_OFF);
    private TomcatServer tomcat;
    private URL base;

    /** The Tomcat version to run, as {@link TomcatServer#VERSIONS} names it. */
    abstract String version();

    @BeforeAll
    void startTomcat(@TempDir Path directory) throws Exception {
        tomcat = TomcatServer.start(version(), directory.resolve("tomcat-base"), directory.resolve("home"),
                ADMIN_PASSWORD, List.of("-Xmx64m", "-Dcertgate.requestBodyTimeout=" + BODY_DEADLINE_SECONDS));
        tomcat.awaitReady(START_TIMEOUT);
        assertThat(tomcat.output()).contains("Apache Tomcat/" + version() + ".");
        base = tomcat.contextUri().toURL();
        GatewaySetup setup = new GatewaySetup(AdminClient.as(base, "admin", ADMIN_PASSWORD));
        setup.trustTestServersAndStoreClient(TestCerts.client("tomcat-forwarding"));
        setup.apiPresenting("stream", "stream", backend.url(), "client");
        setup.apiPresenting("orders", "orders", backend.url(), "client");
        setup.api("thinker", "thinker", thinker.url());
        setup.api("breaks-off", "breaks-off", breaksOff.url());
    }

    @AfterAll
    void stop() throws Exception {
        try (backend; thinker; breaksOff) {
            if (tomcat != null) {
                tomcat.close();
            }
        }
    }

    @Test
    void serverSentEventsArriveOneByOne() throws Exception {
        backend.sseGate().drainPermits();
        HttpResponse<InputStream> response = caller().send(caller().request("stream/sse?events=3").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int i = 1; i <= 3; i++) {
                // The back end writes event i+1 only after this permit: reading event i first proves it was flushed.
                assertThat(events.readLine()).isEqualTo("id: " + i);
                assertThat(events.readLine()).isEqualTo("data: event-" + i);
                assertThat(events.readLine()).isEmpty();
                backend.sseGate().release();
            }
            assertThat(events.readLine()).isNull();
        }
    }

    @Test
    void aHundredMebibyteUploadArrivesIntactThroughASmallHeap() {
        HttpResponse<String> response = caller().send(caller().request("stream/upload")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(HUNDRED_MIB)), HUNDRED_MIB))
                .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode received = Caller.json(response.body());
        assertThat(received.path("bytes").asLong()).isEqualTo(HUNDRED_MIB);
        assertThat(received.path("sha256").asText()).isEqualTo(PatternStream.sha256(HUNDRED_MIB));
    }

    @Test
    void aHundredMebibyteDownloadArrivesIntactThroughASmallHeap() {
        HttpResponse<InputStream> response = caller().send(
                caller().request("stream/download?bytes=" + HUNDRED_MIB).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(HUNDRED_MIB);
        assertThat(PatternStream.sha256(response.body())).isEqualTo(PatternStream.sha256(HUNDRED_MIB));
    }

    @Test
    void aCallerLeavingWhileItsBackEndThinksDropsTheBackEndConnectionAtOnce() throws Exception {
        long left;
        try (Socket caller = new Socket(base.getHost(), base.getPort())) {
            caller.getOutputStream().write(("GET " + path("thinker/report") + " HTTP/1.1\r\nHost: gateway\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            caller.getOutputStream().flush();
            assertThat(thinking.await(10, TimeUnit.SECONDS)).as("the back end got the request").isTrue();
            left = System.nanoTime();
        }

        long backEndSawIt = Poll.until(Duration.ofSeconds(10), leftAt::get, at -> at != 0);
        assertThat(Duration.ofNanos(backEndSawIt - left)).as("the back end's connection closed after the caller left")
                .isLessThan(Duration.ofSeconds(1));
        assertNothingLeased("after the caller left");
    }

    @Test
    void aCallerSendingItsBodyAtOneBytePerSecondGets408AtTheDeadlineWhileOthersAreServed() throws Exception {
        try (Socket slow = new Socket(base.getHost(), base.getPort())) {
            slow.setSoTimeout(20_000);
            OutputStream out = slow.getOutputStream();
            out.write(("POST " + path("orders/upload") + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 100\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long start = System.nanoTime();
            Thread trickle = new Thread(() -> trickle(out), "one-byte-per-second");
            trickle.setDaemon(true);
            trickle.start();

            for (int i = 0; i < 5; i++) {
                assertThat(caller().echo("orders/" + i).path("path").asText()).isEqualTo("/" + i);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("all served before the slow one's deadline")
                    .isLessThan(Duration.ofSeconds(BODY_DEADLINE_SECONDS));

            String answer = readAnswer(slow.getInputStream());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer).startsWith("HTTP/1.1 408");
            JsonNode error = Caller.json(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(error.path("reason").asText()).isEqualTo("RequestBodyTimeout");
            assertThat(elapsed).as("answered at the %d s deadline", BODY_DEADLINE_SECONDS)
                    .isBetween(Duration.ofMillis(BODY_DEADLINE_SECONDS * 1000L - 200),
                            Duration.ofSeconds(BODY_DEADLINE_SECONDS + 4));
        }
        assertNothingLeased("after the body's deadline");
    }

    @Test
    void anHttp10CallerSeesAResetWhenTheBackEndsChunkedBodyBreaksOff() throws IOException {
        assertCallerReset("GET " + path("breaks-off/chunked") + " HTTP/1.0\r\nHost: gateway\r\n\r\n");
    }

    @Test
    void aConnectionCloseCallerSeesAResetWhenTheBackEndsChunkedBodyBreaksOff() throws IOException {
        assertCallerReset("GET " + path("breaks-off/chunked")
                + " HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aCallerSeesAResetWhenTheBackEndsBodyOfKnownLengthBreaksOff() throws IOException {
        assertCallerReset("GET " + path("breaks-off/sized") + " HTTP/1.0\r\nHost: gateway\r\n\r\n");
    }

    /** The reset of {@link BrokenAnswers#assertCallerReset}, given without an error of Tomcat's in its log. */
    private void assertCallerReset(String request) throws IOException {
        BrokenAnswers.assertCallerReset(base, request);
        assertThat(tomcat.output()).as("a broken answer is no error of Tomcat's").doesNotContain("SEVERE");
    }

    private Caller caller() {
        return new Caller(base);
    }

    private String path(String relative) {
        return base.getPath() + relative;
    }

    private void assertNothingLeased(String when) {
        AdminClient admin = AdminClient.as(base, "admin", ADMIN_PASSWORD);
        Reply status = Poll.until(Duration.ofSeconds(5), () -> admin.get("status"), reply -> leased(reply) == 0);
        assertThat(leased(status)).as("connections leased " + when + ": " + status).isZero();
    }

    private static int leased(Reply status) {
        int leased = 0;
        for (JsonNode pool : status.json().path("pools")) {
            leased += pool.path("leased").asInt();
        }
        return leased;
    }

    private static void trickle(OutputStream out) {
        try {
            for (int i = 0; i < 100; i++) {
                Thread.sleep(1000);
                out.write('x');
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the gateway gave up on the body, as it should
        }
    }

    /** The status line, headers and the body of a Content-Length answer. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        RawTlsBackend.readHead(in, head);
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int at = text.toLowerCase(Locale.ROOT).indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
