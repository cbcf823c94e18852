package dev.certgate.it.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling and answer desync through the gateway, checked on the wire (raw sockets on both sides: an HTTP
 * client would refuse to send these requests, and an HTTP server would tidy what the back end received). A request
 * whose body length the caller states two ways (RFC 9112, 6.3) must never let a second request hidden in its body
 * reach the back end as a request of its own, and what reaches the back end is framed one way only; an answer the
 * back end frames two ways, sends unasked or not in HTTP at all must reach no caller as anything but one answer,
 * framed once, to its own request. Used by the ITs of each container the WAR runs in.
 */
final class SmugglingChecks {
    /** How long a caller's connection may stay silent before the gateway is taken to keep it open. */
    private static final int QUIET_MILLIS = 3000;

    /** What a caller saw on one connection: the bytes, and whether the gateway closed the connection. */
    record Seen(String text, boolean closed) {
        Http1Messages.Reading answers() {
            return Http1Messages.readAnswers(text);
        }
    }

    /**
     * Answers its connection's first request with a body framed both ways, disagreeing (Content-Length 3 and chunked
     * "hello"), then nothing more.
     */
    static final RawTlsBackend.Conversation FRAMED_TWO_WAYS = (socket, in, out, received) -> {
        RawTlsBackend.readHead(in, received);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        RawTlsBackend.readToEnd(in, received);
    };

    /**
     * Answers its connection's first request with "first" and, in the same write, a second answer nobody asked for
     * ("poisoned"); every later request on the connection with "fresh". A pooled connection kept with those bytes
     * would hand the unasked answer to the next caller.
     */
    static final RawTlsBackend.Conversation ANSWERS_TWICE = answeringEach((index, request) -> index == 0
            ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst" + "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\npoisoned"
            : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");

    /**
     * Answers HEAD with the body of a GET (a bug of real back ends: "hello" after a head with Content-Length 5),
     * and every other request with "fresh": the bytes a HEAD answer may not carry stay on the connection.
     */
    static final RawTlsBackend.Conversation HEAD_WITH_A_BODY = answeringEach((index, request) ->
            request.startLine().startsWith("HEAD ")
                    ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                    : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");

    /** Answers 204 claiming a Content-Length of 5, which RFC 9110 (8.6) forbids, and sends no body. */
    static final RawTlsBackend.Conversation NO_CONTENT_WITH_A_LENGTH = answeringEach((index, request) ->
            "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");

    /**
     * Answers a connection's first request with "ok", and every later one with a head over HttpCore's limits (a
     * field line of 9,000 bytes; 8 KiB is the most).
     */
    static final RawTlsBackend.Conversation HEAD_TOO_BIG_WHEN_REUSED = answeringEach((index, request) -> index == 0
            ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            : "HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(9000) + "\r\nContent-Length: 2\r\n\r\nok");

    /** Answers with a status line that is not HTTP's: no status code. */
    static final RawTlsBackend.Conversation NOT_HTTP = (socket, in, out, received) -> {
        RawTlsBackend.readHead(in, received);
        out.write("HTTP/1.1 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        RawTlsBackend.readToEnd(in, received);
    };

    private SmugglingChecks() {
    }

    /**
     * A keep-alive conversation that answers each request it read whole ({@link Http1Messages}) with what
     * {@code answer} gives for the request and its place on the connection (0 for the first), and stops answering
     * at a request framed two ways.
     */
    static RawTlsBackend.Conversation answeringEach(BiFunction<Integer, Http1Messages.Message, String> answer) {
        return (socket, in, out, received) -> {
            byte[] buffer = new byte[8192];
            int answered = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                received.write(buffer, 0, n);
                Http1Messages.Reading reading = Http1Messages.read(received.toString(StandardCharsets.ISO_8859_1));
                for (; answered < reading.messages().size(); answered++) {
                    out.write(answer.apply(answered, reading.messages().get(answered))
                            .getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
                if (reading.broken() != null) {
                    return;
                }
            }
        };
    }

    /** The length of {@link #hiding}'s body: the empty chunked body, then the hidden request. */
    static int hiddenLength(URL base, String api) {
        return ("0\r\n\r\n" + smuggled(base, api)).length();
    }

    /** The request path of {@code relative} below the gateway's context path. */
    static String path(URL base, String relative) {
        String context = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        return context + relative;
    }

    /**
     * A request for {@code api}/x framed as {@code framing} (header lines, each ending in CRLF), whose body
     * is {@code 0 CRLF CRLF} followed by a whole request for {@code api}/smuggled: chunked, the body ends before
     * the hidden request; by any Content-Length the hidden request is the body.
     */
    static String hiding(URL base, String api, String framing) {
        return "POST " + path(base, api + "/x") + " HTTP/1.1\r\nHost: gateway\r\n" + framing + "\r\n"
                + "0\r\n\r\n" + smuggled(base, api);
    }

    /**
     * A kept-alive HTTP/1.0 request for {@code api}/x with a chunked body that ends before a whole request for
     * {@code api}/smuggled: HTTP/1.0 has no chunking, so a proxy in front may read it all as one request.
     */
    static String hidingInHttp10(URL base, String api) {
        return "POST " + path(base, api + "/x") + " HTTP/1.0\r\nHost: gateway\r\nConnection: keep-alive\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled(base, api);
    }

    /** The request hidden in {@link #hiding}'s body. */
    static String smuggled(URL base, String api) {
        return "GET " + path(base, api + "/smuggled") + " HTTP/1.1\r\nHost: gateway\r\n\r\n";
    }

    /**
     * Sends {@code raw} as it is on a connection of its own and reads until the gateway closes it, or until it
     * stays silent for {@value #QUIET_MILLIS} ms.
     */
    static Seen send(URL base, String raw) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(QUIET_MILLIS);
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    seen.write(buffer, 0, n);
                }
                return new Seen(seen.toString(StandardCharsets.ISO_8859_1), true);
            } catch (SocketTimeoutException e) {
                return new Seen(seen.toString(StandardCharsets.ISO_8859_1), false);
            } catch (SocketException e) { // a reset: closed too
                return new Seen(seen.toString(StandardCharsets.ISO_8859_1), true);
            }
        }
    }

    /**
     * {@code raw} states its body's length two ways (or in a way that cannot be trusted) and hides a request for
     * {@code api}/smuggled: the caller gets one answer and its connection is closed (RFC 9112, 6.3: a server
     * "MUST close the connection after responding to such a request"), the back end never receives the hidden
     * request, and everything it received, up to a later caller's request, is framed one way. Answers the
     * status the caller got.
     */
    static int assertNotSmuggled(URL base, FramingBackend backend, String api, String raw) throws IOException {
        Seen seen = send(base, raw);
        Http1Messages.Reading answers = seen.answers();
        assertThat(answers.messages()).as("the caller's answers: %s", seen.text()).hasSize(1);
        assertThat(answers.clean()).as("the caller's answers: %s", seen.text()).isTrue();
        assertThat(seen.closed()).as("the connection must close after such a request; the caller saw: %s",
                seen.text()).isTrue();

        // A later caller's request is answered from the same back end: whatever the gateway forwarded of the
        // hostile request has been received whole by then.
        Seen later = send(base, "GET " + path(base, api + "/later") + " HTTP/1.1\r\nHost: gateway\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(later.answers().messages()).as(later.text()).hasSize(1);
        assertThat(later.answers().messages().get(0).body()).as(later.text()).endsWith("/later HTTP/1.1");

        for (Http1Messages.Reading connection : backend.connections()) {
            assertThat(connection.broken()).as("what the back end received: %s", connection).isNull();
            assertThat(connection.rest()).as("what the back end received: %s", connection).isEmpty();
        }
        List<String> received = backend.requests().stream().map(Http1Messages.Message::startLine).toList();
        assertThat(received).as("the requests the back end received").noneMatch(line -> line.contains("smuggled"));
        return answers.messages().get(0).status();
    }

    /**
     * The back end behind {@code api} ({@link #FRAMED_TWO_WAYS}) framed its answer two ways: the caller gets it
     * framed one way, by its chunks (RFC 9112, 6.3: Transfer-Encoding overrides Content-Length), without the
     * Content-Length that disagreed with them.
     */
    static void assertAnswerFramedOnce(URL base, String api) throws IOException {
        Http1Messages.Message answer = theOneAnswerToAGet(base, api);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.body()).as(answer.toString()).isEqualTo("hello");
        assertThat(answer.values("Content-Length")).as(answer.toString()).doesNotContain("3");
    }

    /**
     * The back end behind {@code api} ({@link #NO_CONTENT_WITH_A_LENGTH}) claimed a length for a 204: the caller gets
     * the 204, without that length and without waiting for a body.
     */
    static void assertNoContentReachesTheCallerWithoutALength(URL base, String api) throws IOException {
        Http1Messages.Message answer = theOneAnswerToAGet(base, api);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(204);
        assertThat(answer.body()).as(answer.toString()).isEmpty();
        assertThat(answer.values("Content-Length")).as(answer.toString()).isEmpty();
    }

    /** The answer to a GET of {@code api}: one, framed cleanly, and the connection closed after it. */
    private static Http1Messages.Message theOneAnswerToAGet(URL base, String api) throws IOException {
        Seen seen = send(base, "GET " + path(base, api + "/x") + " HTTP/1.1\r\nHost: gateway\r\n"
                + "Connection: close\r\n\r\n");
        Http1Messages.Reading answers = seen.answers();
        assertThat(answers.clean()).as("the caller's answer: %s", seen.text()).isTrue();
        assertThat(answers.messages()).as(seen.text()).hasSize(1);
        return answers.messages().get(0);
    }

    /**
     * The back end behind {@code api} ({@link #ANSWERS_TWICE}) sent an answer nobody asked for after the first
     * one: the next caller gets the answer to its own request, never that one.
     */
    static void assertUnaskedAnswerNeverReachesTheNextCaller(URL base, String api) throws IOException {
        String request = "GET " + path(base, api + "/x") + " HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n";
        Seen first = send(base, request);
        assertThat(first.answers().messages()).as(first.text()).hasSize(1);
        assertThat(first.answers().messages().get(0).body()).as(first.text()).isEqualTo("first");

        for (int i = 0; i < 3; i++) {
            Seen next = send(base, request);
            assertThat(next.answers().messages()).as(next.text()).hasSize(1);
            assertThat(next.answers().messages().get(0).body()).as(next.text()).isNotEqualTo("poisoned");
            assertThat(next.answers().messages().get(0).status()).as(next.text()).isEqualTo(200);
        }
    }

    /**
     * The back end behind {@code api} ({@link #NOT_HTTP}) answered with something that is not HTTP: the caller gets
     * the error table's answer for a connection that failed, not the one for a bug of the gateway's.
     */
    static void assertAnAnswerThatIsNotHttpIsAConnectionFailure(URL base, String api) throws IOException {
        Http1Messages.Message answer = theOneAnswerToAGet(base, api);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(500);
        assertThat(answer.body()).as(answer.toString()).contains("\"BackendConnectionFailure\"");
    }

    /**
     * The back end behind {@code api} ({@link #HEAD_TOO_BIG_WHEN_REUSED}) answered a kept-alive connection's second
     * request with a head over the limits: that caller gets 500 BackendConnectionFailure, and the request is not
     * sent again (on a new connection it would have been answered "ok").
     */
    static void assertAnAnswerHeadOverTheLimitsIsAConnectionFailureSentOnce(URL base, String api) throws IOException {
        Http1Messages.Message first = theOneAnswerToAGet(base, api);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);

        Http1Messages.Message second = theOneAnswerToAGet(base, api);
        assertThat(second.status()).as(second.toString()).isEqualTo(500);
        assertThat(second.body()).as(second.toString()).contains("\"BackendConnectionFailure\"");
    }

    /**
     * The back end behind {@code api} ({@link #HEAD_WITH_A_BODY}) sent a body with its answer to HEAD: the HEAD's
     * caller gets the head alone, and the next caller of a GET its own answer, not an error for those bytes.
     */
    static void assertABodySentWithAHeadAnswerFailsNoLaterCaller(URL base, String api) throws IOException {
        Seen head = send(base, "HEAD " + path(base, api + "/x") + " HTTP/1.1\r\nHost: gateway\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(head.text()).as(head.text()).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n");

        for (int i = 0; i < 3; i++) {
            Seen next = send(base, "GET " + path(base, api + "/x") + " HTTP/1.1\r\nHost: gateway\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(next.answers().messages()).as(next.text()).hasSize(1);
            assertThat(next.answers().messages().get(0).status()).as(next.text()).isEqualTo(200);
            assertThat(next.answers().messages().get(0).body()).as(next.text()).isEqualTo("fresh");
        }
    }
}
