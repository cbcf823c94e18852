package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.TrickledAdminBody;
import dev.certgate.it.tomcat.TomcatServer;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The non-blocking forwarding path in a real Tomcat, whose Servlet async I/O and connector are its own, not
 * Jetty's: the WAR as built, in a Tomcat with a 64 MiB heap, does what issue 16 asks of it on Jetty. Events are
 * flushed one by one, 100 MiB bodies stream both ways, a caller who leaves while its back end thinks drops the
 * back-end connection at once, a caller sending its body a byte a second ends with 408 at the deadline while
 * others are served, an answer whose back end breaks off ends in a reset, never a clean close, a request whose
 * length is stated two ways smuggles nothing to the back end (Tomcat's parser is not Jetty's), and an admin body
 * trickled in gets 408 at the deadline on a connection Tomcat then closes. One Tomcat per
 * version serves every test; the subclasses name the version. Tagged
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
    private final RawTlsBackend thinker =
            RawTlsBackend.start(TestCerts.server(), ForwardingChecks.thinkUntilDropped(thinking, leftAt));
    private final RawTlsBackend breaksOff = RawTlsBackend.start(TestCerts.server(), BrokenAnswers.BREAK_OFF);
    private final FramingBackend framing = new FramingBackend();
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
        GatewaySetup setup = new GatewaySetup(admin());
        setup.trustTestServersAndStoreClient(TestCerts.client("tomcat-forwarding"));
        setup.apiPresenting("stream", "stream", backend.url(), "client");
        setup.apiPresenting("orders", "orders", backend.url(), "client");
        setup.api("thinker", "thinker", thinker.url());
        setup.api("breaks-off", "breaks-off", breaksOff.url());
        setup.api("framing", "framing", framing.url());
    }

    @AfterAll
    void stop() throws Exception {
        try (backend; thinker; breaksOff; framing) {
            if (tomcat != null) {
                tomcat.close();
            }
        }
    }

    @Test
    void serverSentEventsArriveOneByOne() throws Exception {
        ForwardingChecks.serverSentEventsArriveOneByOne(caller(), "stream/sse?events=3", backend.sseGate());
    }

    @Test
    void aHundredMebibyteUploadArrivesIntactThroughASmallHeap() {
        ForwardingChecks.uploadArrivesIntact(caller(), "stream/upload", HUNDRED_MIB);
    }

    @Test
    void aHundredMebibyteDownloadArrivesIntactThroughASmallHeap() {
        ForwardingChecks.downloadArrivesIntact(caller(), "stream/download", HUNDRED_MIB);
    }

    @Test
    void aCallerLeavingWhileItsBackEndThinksDropsTheBackEndConnectionAtOnce() throws Exception {
        ForwardingChecks.leavingCallerDropsTheBackEndConnection(base, path("thinker/report"), thinking, leftAt);
        ForwardingChecks.assertNothingLeased(admin(), "after the caller left");
    }

    @Test
    void aCallerSendingItsBodyAtOneBytePerSecondGets408AtTheDeadlineWhileOthersAreServed() throws Exception {
        ForwardingChecks.slowBodyGets408AtTheDeadline(base, path("orders/upload"), BODY_DEADLINE_SECONDS, () -> {
            for (int i = 0; i < 5; i++) {
                assertThat(caller().echo("orders/" + i).path("path").asText()).isEqualTo("/" + i);
            }
        });
        ForwardingChecks.assertNothingLeased(admin(), "after the body's deadline");
    }

    @Test
    void anAdminBodyTrickledInGets408AtTheDeadlineAndClosesTheConnection() throws Exception {
        TrickledAdminBody.Outcome outcome = TrickledAdminBody.put(base, "admin", ADMIN_PASSWORD, "backends/trickled",
                Bodies.backend("https://trickled.example"), () -> { });

        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(408);
        assertThat(outcome.body()).contains("\"RequestBodyTimeout\"");
        assertThat(outcome.elapsed()).isBetween(Duration.ofSeconds(BODY_DEADLINE_SECONDS),
                Duration.ofSeconds(BODY_DEADLINE_SECONDS + 2));
        assertThat(outcome.closedAfter()).as("Tomcat closes the connection rather than read the rest of the body")
                .isTrue();
        assertThat(admin().get("backends/trickled").status()).isEqualTo(404);
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

    @Test
    void aRequestWhoseLengthIsStatedTwoWaysNeverLetsTheRequestHiddenInItsBodyThrough() throws IOException {
        int hidden = SmugglingChecks.hiddenLength(base, "framing");
        assertNotSmuggled("Content-Length: " + hidden + "\r\nTransfer-Encoding: chunked\r\n");
        assertNotSmuggled("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n");
        assertThat(assertNotSmuggled("Content-Length: 5\r\nContent-Length: " + hidden + "\r\n")).isEqualTo(400);
        assertThat(assertNotSmuggled("Transfer-Encoding: chunked, identity\r\nContent-Length: " + hidden + "\r\n"))
                .isBetween(400, 599);
        assertThat(assertNotSmuggled("Transfer-Encoding : chunked\r\nContent-Length: " + hidden + "\r\n"))
                .isEqualTo(400);
        assertThat(SmugglingChecks.assertNotSmuggled(base, framing, "framing",
                SmugglingChecks.hidingInHttp10(base, "framing"))).isEqualTo(400);
    }

    private int assertNotSmuggled(String framing) throws IOException {
        return SmugglingChecks.assertNotSmuggled(base, this.framing, "framing",
                SmugglingChecks.hiding(base, "framing", framing));
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

    private AdminClient admin() {
        return AdminClient.as(base, "admin", ADMIN_PASSWORD);
    }
}
