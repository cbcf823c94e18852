package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.KeptAliveAnswers;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.PatternStream;
import dev.certgate.testsupport.TestCerts;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the non-blocking path does (issue 16): a body that stops arriving is the caller's delay even when the
 * back end's timeout runs out first; a caller that leaves while its back end thinks drops the back-end connection
 * at once, and no other, and leaves no connection leased; hundreds of requests waiting for a slow back end hold no
 * threads. The body deadline itself, which both paths keep, is {@link SlowBodyIT}'s.
 * Tagged {@code async-only}: it runs in the Failsafe execution that sets {@code certgate.forwarding=async}.
 */
@Tag("async-only")
@ExtendWith(ArquillianExtension.class)
class NonBlockingIT {
    private static final int BODY_DEADLINE_SECONDS = 4;
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static final CountDownLatch THINKING = new CountDownLatch(1);
    private static final AtomicLong LEFT_AT = new AtomicLong();
    private static final RawTlsBackend THINKER =
            RawTlsBackend.start(TestCerts.server(), ForwardingChecks.thinkUntilDropped(THINKING, LEFT_AT));
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(NonBlockingIT.class);
        // Read when the deployment starts; cleared once this class is done.
        System.setProperty("certgate.requestBodyTimeout", String.valueOf(BODY_DEADLINE_SECONDS));
        return CertgateWar.forClass(NonBlockingIT.class);
    }

    @AfterAll
    static void stopBackends() {
        System.clearProperty("certgate.requestBodyTimeout");
        BACKEND.close();
        THINKER.close();
    }

    @BeforeEach
    void configure() {
        if (!configured) {
            GatewaySetup setup = new GatewaySetup(base);
            setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
            setup.certificate("client", TestCerts.client("non-blocking"));
            setup.apiPresenting("orders", "orders", BACKEND.url(), "client");
            setup.apiPresenting("stock", "stock", BACKEND.url(), "client");
            setup.api("thinker", "thinker", THINKER.url());
            setup.api("hasty", "hasty", BACKEND.url());
            setup.policy("hasty", "<policies><inbound><base /><authentication-certificate certificate-id=\"client\" />"
                    + "</inbound><backend><forward-request timeout=\"1\" /></backend><outbound><base /></outbound>"
                    + "<on-error><base /></on-error></policies>");
            configured = true;
        }
    }

    @Test
    void aBodyThatStopsArrivingIsTheCallersDelayEvenWhenTheBackEndsTimeoutIsShorterThanTheBodyDeadline()
            throws IOException {
        try (Socket stalled = new Socket(base.getHost(), base.getPort())) {
            stalled.setSoTimeout(20_000);
            OutputStream out = stalled.getOutputStream();
            out.write(("POST " + path("hasty/upload") + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 100\r\n\r\nten bytes.").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            String answer = ForwardingChecks.readAnswer(stalled.getInputStream());

            // The back end waited for the rest of the body when its 1 s ran out: not its delay (504) but the caller's.
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(Caller.json(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("reason").asText())
                    .isEqualTo("RequestBodyTimeout");
        }
        assertNothingLeased("after the stalled body");
    }

    /**
     * As above, on a back-end connection kept alive from an earlier call: HttpClient then starts the exchange within
     * its lease, which lost the cancellation (ExchangeCancel), and the connection stayed leased until the back end
     * answered.
     */
    @Test
    void aCallerLeavingWhileAKeptAliveBackEndConnectionWaitsLeavesNothingLeased() throws Exception {
        new Caller(base).echo("orders/warm-up");
        try (Socket caller = new Socket(base.getHost(), base.getPort())) {
            caller.getOutputStream().write(("GET " + path("orders/slow?ms=20000")
                    + " HTTP/1.1\r\nHost: gateway\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            caller.getOutputStream().flush();
            Thread.sleep(500); // the back end has the request
        }

        assertNothingLeased("after the caller left, long before the back end answers");
    }

    /**
     * Cancelling drops the leaving caller's back-end connection, which HttpClient reports as a kept-alive connection
     * lost. The retry that followed took another pooled connection and dropped that too (cancelled before it was
     * sent), so a crowd of callers that left took the pool's idle connections with it. Whether the retry came was a
     * race, so three callers leave one after another.
     */
    @Test
    void aCallerLeavingCostsThePoolOnlyItsOwnConnection() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<?>> atOnce = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                atOnce.add(CompletableFuture.runAsync(() -> new Caller(base).echo("orders/slow?ms=300"), callers));
            }
            atOnce.forEach(CompletableFuture::join); // four idle back-end connections
        } finally {
            callers.shutdown();
        }
        AdminClient admin = new GatewaySetup(base).admin();
        for (int leaving = 1; leaving <= 3; leaving++) {
            int idle = ForwardingChecks.pooled(admin.get("status"), "available");
            assertThat(idle).as("idle back-end connections before caller " + leaving + " leaves")
                    .isGreaterThanOrEqualTo(2);
            try (Socket caller = new Socket(base.getHost(), base.getPort())) {
                caller.getOutputStream().write(("GET " + path("orders/slow?ms=20000")
                        + " HTTP/1.1\r\nHost: gateway\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                caller.getOutputStream().flush();
                Thread.sleep(500); // the back end has the request
            }
            assertNothingLeased("after caller " + leaving + " left");
            Thread.sleep(300); // a retry would have come with the cancellation

            Reply status = admin.get("status");
            assertThat(ForwardingChecks.pooled(status, "available"))
                    .as("idle back-end connections after caller " + leaving + " left: " + status)
                    .isGreaterThanOrEqualTo(idle - 1);
        }
    }

    /** A body that breaks off mid-way, on a back-end connection kept alive from an earlier call. */
    @Test
    void aCallerWhoseBodyBreaksOffLeavesNothingLeased() throws Exception {
        new Caller(base).echo("orders/warm-up");
        try (Socket caller = new Socket(base.getHost(), base.getPort())) {
            caller.getOutputStream().write(("POST " + path("orders/upload") + " HTTP/1.1\r\nHost: gateway\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 10\r\n\r\nhello")
                    .getBytes(StandardCharsets.ISO_8859_1));
            caller.getOutputStream().flush();
            Thread.sleep(300); // the gateway has begun to forward the body
        }

        assertNothingLeased("after the caller's body broke off");
        assertThat(new Caller(base).echo("orders/after").path("path").asText()).isEqualTo("/after");
    }

    @Test
    void aCallerLeavingWhileItsBackEndThinksDropsTheBackEndConnectionAtOnceAndLeavesNothingLeased() throws Exception {
        ForwardingChecks.leavingCallerDropsTheBackEndConnection(base, path("thinker/report"), THINKING, LEFT_AT);
        assertNothingLeased("after the caller left");
    }

    /**
     * An answer that fits the container's response buffer (32 KiB in Jetty) is held there whole, and its last byte is
     * written by the container's thread on an async dispatch back to the gateway; a larger one goes out as it arrives.
     * Both kinds, and bodies of one byte and none, alternate on one kept-alive connection: each arrives whole and
     * exact, and the connection goes on to the next.
     */
    @Test
    void answersHeldWholeAndAnswersPassedOnArriveExactOnOneKeptAliveConnection() throws Exception {
        int buffer = 32 * 1024;
        List<Integer> sizes = List.of(1, 100, 16 * 1024, buffer, buffer + 1, 0, 2, 100);
        try (Socket caller = new Socket(base.getHost(), base.getPort())) {
            caller.setSoTimeout(20_000);
            OutputStream out = caller.getOutputStream();
            for (int size : sizes) {
                out.write(("GET " + path("orders/download") + "?bytes=" + size + " HTTP/1.1\r\nHost: "
                        + base.getHost() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                KeptAliveAnswers.Answer answer = KeptAliveAnswers.read(caller.getInputStream());
                assertThat(answer.status()).as("status of the %d-byte answer", size).isEqualTo(200);
                assertThat(answer.body()).as("the %d-byte answer", size)
                        .isEqualTo(new PatternStream(size).readAllBytes());
            }
        }
        assertNothingLeased("after the answers");
    }

    private void assertNothingLeased(String when) {
        ForwardingChecks.assertNothingLeased(new GatewaySetup(base).admin(), when);
    }

    @Test
    void twoHundredRequestsWaitingForASlowBackEndAreAllServedWithoutAThreadEach() throws Exception {
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try {
            Caller caller = new Caller(base);
            caller.echo("orders/warm-up");
            int before = gatewayThreads();
            AtomicInteger peak = new AtomicInteger(before);
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(client.sendAsync(HttpRequest.newBuilder(caller.uri("orders/slow?ms=1000&call=" + i))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
            while (!all.isDone()) {
                peak.accumulateAndGet(gatewayThreads(), Math::max);
                Thread.sleep(50);
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).as(call.get().body()).isEqualTo(200);
            }
            assertThat(peak.get() - before).as("threads added while 200 requests waited (%d before)", before)
                    .isLessThan(100);
        } finally {
            clientThreads.shutdownNow();
        }
    }

    /** The JVM's live threads less the test back end's own pool: the gateway's and the container's. */
    private static int gatewayThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !thread.getName().startsWith("backend"))
                .count();
    }

    private String path(String relative) {
        String context = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        return context + relative;
    }
}
