package dev.certgate.it.proxy;

import dev.certgate.testsupport.TestPki;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TLS back end written by hand, one conversation per connection, that records every byte it received and
 * how the connection ended. Unlike a real server it neither completes nor tidies a request, so a test can
 * tell a request the gateway completed (terminating chunk, whole Content-Length body) from one it aborted.
 */
final class RawTlsBackend implements AutoCloseable {
    private static final String STORE_PASSWORD = "raw-backend";

    /** What one connection brought: the bytes, and how it ended ("eof", "reset: ..." or "timeout"). */
    record Received(String text, String end) {
        String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    /** What the back end does on a connection after the handshake. */
    interface Conversation {
        void talk(SSLSocket socket, InputStream in, OutputStream out, ByteArrayOutputStream received) throws IOException;
    }

    private final SSLServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "raw-tls-backend");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    private RawTlsBackend(TestPki.Issued certificate, Conversation conversation) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate.keyStore(STORE_PASSWORD), STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        threads.execute(() -> accept(conversation));
    }

    static RawTlsBackend start(TestPki.Issued certificate, Conversation conversation) {
        try {
            return new RawTlsBackend(certificate, conversation);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the raw TLS back end", e);
        }
    }

    String url() {
        return "https://localhost:" + server.getLocalPort();
    }

    /** The connections that have ended so far, oldest first. */
    List<Received> received() {
        return new ArrayList<>(received);
    }

    private void accept(Conversation conversation) {
        while (!server.isClosed()) {
            try {
                SSLSocket socket = (SSLSocket) server.accept();
                threads.execute(() -> serve(socket, conversation));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SSLSocket socket, Conversation conversation) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String end;
        try (socket) {
            socket.setSoTimeout(15_000);
            conversation.talk(socket, socket.getInputStream(), socket.getOutputStream(), bytes);
            end = "eof";
        } catch (SocketTimeoutException e) {
            end = "timeout";
        } catch (IOException e) {
            end = "reset: " + e;
        }
        received.add(new Received(bytes.toString(StandardCharsets.ISO_8859_1), end));
    }

    /** Reads into {@code received} until the peer ends the connection. */
    static void readToEnd(InputStream in, ByteArrayOutputStream received) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            received.write(buffer, 0, n);
        }
    }

    /** Reads into {@code received} up to and including the blank line after the request's header fields. */
    static void readHead(InputStream in, ByteArrayOutputStream received) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < end.length && (b = in.read()) != -1) {
            received.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing left to release
        }
        threads.shutdownNow();
    }
}
