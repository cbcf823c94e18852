package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the non-blocking path does (issue 16): a caller that sends its body slowly costs one API nothing and
 * ends with 408 at the body deadline; a caller that leaves while its back end thinks drops the back-end connection
 * at once and leaves no connection leased; hundreds of requests waiting for a slow back end hold no threads.
 * Tagged {@code async-only}: it runs in the Failsafe execution that sets {@code certgate.forwarding=async}.
 */
@Tag("async-only")
@ExtendWith(ArquillianExtension.class)
class NonBlockingIT {
    private static final int BODY_DEADLINE_SECONDS = 4;
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static final CountDownLatch THINKING = new CountDownLatch(1);
    private static final AtomicLong LEFT_AT = new AtomicLong();
    /** Reads the request, then waits without a word until the gateway drops the connection, and notes when. */
    private static final RawTlsBackend THINKER = RawTlsBackend.start(TestCerts.server(),
            (socket, in, out, received) -> {
        RawTlsBackend.readHead(in, received);
        THINKING.countDown();
        try {
            RawTlsBackend.readToEnd(in, received);
        } finally {
            LEFT_AT.set(System.nanoTime());
        }
    });
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
            configured = true;
        }
    }

    @Test
    void aCallerSendingItsBodyAtOneBytePerSecondGets408AtTheDeadlineWhileOtherCallersAreServed() throws Exception {
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

            Caller caller = new Caller(base);
            for (int i = 0; i < 5; i++) {
                long sent = System.nanoTime();
                assertThat(caller.echo("orders/" + i).path("path").asText()).isEqualTo("/" + i);
                assertThat(caller.echo("stock/" + i).path("path").asText()).isEqualTo("/" + i);
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("other calls wait for nothing")
                        .isLessThan(Duration.ofSeconds(2));
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
        long left;
        try (Socket caller = new Socket(base.getHost(), base.getPort())) {
            caller.getOutputStream().write(("GET " + path("thinker/report") + " HTTP/1.1\r\nHost: gateway\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            caller.getOutputStream().flush();
            assertThat(THINKING.await(10, TimeUnit.SECONDS)).as("the back end got the request").isTrue();
            left = System.nanoTime();
        }

        long backEndSawIt = Poll.until(Duration.ofSeconds(10), LEFT_AT::get, at -> at != 0);
        assertThat(Duration.ofNanos(backEndSawIt - left)).as("the back end's connection closed after the caller left")
                .isLessThan(Duration.ofSeconds(1));
        assertNothingLeased("after the caller left");
    }

    private void assertNothingLeased(String when) {
        Reply status = Poll.until(Duration.ofSeconds(5), () -> new GatewaySetup(base).admin().get("status"),
                reply -> leased(reply) == 0);
        assertThat(leased(status)).as("connections leased " + when + ": " + status).isZero();
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
        int at = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private String path(String relative) {
        String context = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        return context + relative;
    }
}
