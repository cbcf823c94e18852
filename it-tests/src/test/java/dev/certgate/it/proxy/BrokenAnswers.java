package dev.certgate.it.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A back end whose answer breaks off, and what its caller must see through the gateway: the start of the answer,
 * then a reset, never a clean end that would pass a close-delimited body off as whole.
 */
final class BrokenAnswers {
    /**
     * Answers 200 with the first part of a body, then drops the connection: chunked for a path with
     * {@code /chunked}, else with a Content-Length too large for the gateway to hold the body before answering.
     */
    static final RawTlsBackend.Conversation BREAK_OFF = (socket, in, out, received) -> {
        RawTlsBackend.readHead(in, received);
        if (received.toString(StandardCharsets.ISO_8859_1).contains("/chunked")) {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst \r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[64 * 1024]);
        }
        out.flush();
        try {
            Thread.sleep(300); // the gateway passes the first part on and commits the answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.setSoLinger(true, 0);
        socket.close();
    };

    private BrokenAnswers() {
    }

    /** Sends {@code request} (raw) to the gateway: the caller receives the start of the answer, then a reset. */
    static void assertCallerReset(URL base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            assertThatThrownBy(() -> RawTlsBackend.readToEnd(in, seen))
                    .as("the caller's read must fail, not end cleanly; it read: %s",
                            seen.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""))
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
            assertThat(seen.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        }
    }
}
