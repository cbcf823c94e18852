package dev.certgate.it.proxy;

import dev.certgate.testsupport.TestCerts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A keep-alive TLS back end that reads every request strictly ({@link Http1Messages}) and answers each one it read
 * whole with 200 and a body naming its request line, so that what the gateway sent can be checked as the bytes
 * crossed each connection, open ones included. It stops answering a connection at a request framed two ways.
 */
final class FramingBackend implements AutoCloseable {
    /** Each request answered with a body naming its request line, as the back end received it. */
    private static final RawTlsBackend.Conversation NAMING_EACH = SmugglingChecks.answeringEach((index, request) -> {
        String body = "answer to " + request.startLine();
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    });

    private final Queue<ByteArrayOutputStream> connections = new ConcurrentLinkedQueue<>();
    private final RawTlsBackend backend = RawTlsBackend.start(TestCerts.server(), (socket, in, out, received) -> {
        connections.add(received);
        NAMING_EACH.talk(socket, in, out, received);
    });

    String url() {
        return backend.url();
    }

    /** What each connection has brought so far, oldest connection first. */
    List<Http1Messages.Reading> connections() {
        List<Http1Messages.Reading> readings = new ArrayList<>();
        for (ByteArrayOutputStream received : connections) {
            readings.add(Http1Messages.read(received.toString(StandardCharsets.ISO_8859_1)));
        }
        return readings;
    }

    /** Every request read whole so far, on every connection. */
    List<Http1Messages.Message> requests() {
        return connections().stream().flatMap(reading -> reading.messages().stream()).toList();
    }

    @Override
    public void close() {
        backend.close();
    }
}
