package dev.certgate.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange written by hand, for headers the JDK client refuses to send ({@code Connection},
 * {@code Upgrade}, {@code TE}, …). The request should carry {@code Connection: close}; the response is read to EOF.
 */
public final class RawHttp {
    /** The response: status, header lines as received, and the body. */
    public record Response(int status, List<String> headerLines, String body) {
        public List<String> headerValues(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headerLines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).trim()).toList();
        }
    }

    private RawHttp() {
    }

    public static Response exchange(int port, String requestHead) throws IOException {
        return exchange(null, port, requestHead);
    }

    /**
     * As {@link #exchange(int, String)}, from the loopback address {@code from} (such as 127.0.0.2), so that
     * the server sees another caller; null for the default.
     */
    public static Response exchange(InetAddress from, int port, String requestHead) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, from, 0)) {
            return exchange(socket, requestHead);
        }
    }

    /** As {@link #exchange(int, String)}, on a connection already open (left open: its owner closes it). */
    public static Response exchange(Socket socket, String requestHead) throws IOException {
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(requestHead.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read(socket);
    }

    /**
     * Sends the request head and then {@code bodyPart} as it is (no line endings changed), ends the sending side
     * (the caller hangs up before the rest of its body), and reads the answer to EOF.
     */
    public static Response exchangeThenStopSending(int port, String requestHead, String bodyPart) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bodyPart.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            return read(socket);
        }
    }

    private static Response read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
