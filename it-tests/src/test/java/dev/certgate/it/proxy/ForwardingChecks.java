package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.PatternStream;

import com.fasterxml.jackson.databind.JsonNode;

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
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the forwarding path must do whatever container runs the WAR, written once for the embedded Jetty's ITs and
 * the Tomcat ones: streaming both ways, events flushed one by one, a slow body's 408, a leaving caller's back-end
 * call dropped, nothing left leased. Raw sockets where an HTTP client would tidy what is looked at.
 */
final class ForwardingChecks {
    private ForwardingChecks() {
    }

    /**
     * A back end's conversation that reads the request, counts {@code thinking} down, then waits without a word
     * until the gateway drops the connection, and notes when in {@code leftAt}.
     */
    static RawTlsBackend.Conversation thinkUntilDropped(CountDownLatch thinking, AtomicLong leftAt) {
        return (socket, in, out, received) -> {
            RawTlsBackend.readHead(in, received);
            thinking.countDown();
            try {
                RawTlsBackend.readToEnd(in, received);
            } finally {
                leftAt.set(System.nanoTime());
            }
        };
    }

    /**
     * Three events from {@code path} (the test back end's {@code sse?events=3}), each read before the back end may
     * write the next: reading event i first proves it was flushed.
     */
    static void serverSentEventsArriveOneByOne(Caller caller, String path, Semaphore gate) throws IOException {
        gate.drainPermits();
        HttpResponse<InputStream> response = caller.send(caller.request(path).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int i = 1; i <= 3; i++) {
                assertThat(events.readLine()).isEqualTo("id: " + i);
                assertThat(events.readLine()).isEqualTo("data: event-" + i);
                assertThat(events.readLine()).isEmpty();
                gate.release();
            }
            assertThat(events.readLine()).isNull();
        }
    }

    /** {@code bytes} of the test pattern posted to the back end's {@code upload}, which must count and hash them all. */
    static void uploadArrivesIntact(Caller caller, String path, long bytes) {
        HttpResponse<String> response = caller.send(caller.request(path)
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(bytes)), bytes))
                .build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode received = Caller.json(response.body());
        assertThat(received.path("bytes").asLong()).isEqualTo(bytes);
        assertThat(received.path("sha256").asText()).isEqualTo(PatternStream.sha256(bytes));
    }

    /** {@code bytes} of the test pattern from the back end's {@code download?bytes=}, whole and in order. */
    static void downloadArrivesIntact(Caller caller, String path, long bytes) {
        HttpResponse<InputStream> response = caller.send(caller.request(path + "?bytes=" + bytes).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(bytes);
        assertThat(PatternStream.sha256(response.body())).isEqualTo(PatternStream.sha256(bytes));
    }

    /**
     * A caller posts 100 bytes to {@code uploadPath} a byte a second; meanwhile {@code othersServed} must finish
     * before the deadline, and the slow caller gets 408 {@code RequestBodyTimeout} at it.
     */
    static void slowBodyGets408AtTheDeadline(URL base, String uploadPath, int deadlineSeconds, Runnable othersServed)
            throws IOException {
        try (Socket slow = new Socket(base.getHost(), base.getPort())) {
            slow.setSoTimeout(20_000);
            OutputStream out = slow.getOutputStream();
            out.write(("POST " + uploadPath + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 100\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long start = System.nanoTime();
            Thread trickle = new Thread(() -> trickle(out), "one-byte-per-second");
            trickle.setDaemon(true);
            trickle.start();

            othersServed.run();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("all served before the slow one's deadline")
                    .isLessThan(Duration.ofSeconds(deadlineSeconds));

            String answer = readAnswer(slow.getInputStream());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer).startsWith("HTTP/1.1 408");
            JsonNode error = Caller.json(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(error.path("reason").asText()).isEqualTo("RequestBodyTimeout");
            assertThat(elapsed).as("answered at the %d s deadline", deadlineSeconds)
                    .isBetween(Duration.ofMillis(deadlineSeconds * 1000L - 200), Duration.ofSeconds(deadlineSeconds + 4));
        }
    }

    /**
     * A caller asks {@code path} of a back end that {@link #thinkUntilDropped thinks until dropped}, then leaves:
     * the back end must see its connection closed within a second.
     */
    static void leavingCallerDropsTheBackEndConnection(URL base, String path, CountDownLatch thinking,
                                                       AtomicLong leftAt) throws IOException, InterruptedException {
        long left;
        try (Socket caller = new Socket(base.getHost(), base.getPort())) {
            caller.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: gateway\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            caller.getOutputStream().flush();
            assertThat(thinking.await(10, TimeUnit.SECONDS)).as("the back end got the request").isTrue();
            left = System.nanoTime();
        }

        long backEndSawIt = Poll.until(Duration.ofSeconds(10), leftAt::get, at -> at != 0);
        assertThat(Duration.ofNanos(backEndSawIt - left)).as("the back end's connection closed after the caller left")
                .isLessThan(Duration.ofSeconds(1));
    }

    /** Within 5 s, no pool of the status has a connection leased. */
    static void assertNothingLeased(AdminClient admin, String when) {
        Reply status = Poll.until(Duration.ofSeconds(5), () -> admin.get("status"), reply -> leased(reply) == 0);
        assertThat(leased(status)).as("connections leased " + when + ": " + status).isZero();
    }

    private static int leased(Reply status) {
        return pooled(status, "leased");
    }

    /** The pools' connections of one kind ({@code leased}, {@code available}) in the status, added up. */
    static int pooled(Reply status, String kind) {
        int connections = 0;
        for (JsonNode pool : status.json().path("pools")) {
            connections += pool.path(kind).asInt();
        }
        return connections;
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
    static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        RawTlsBackend.readHead(in, head);
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int at = text.toLowerCase(Locale.ROOT).indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
