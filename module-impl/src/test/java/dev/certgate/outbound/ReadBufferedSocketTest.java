package dev.certgate.outbound;

import dev.certgate.testsupport.TestPki;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.KeyStore;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadBufferedSocketTest {
    private static final TestPki.Issued CA = TestPki.ca("CN=Buffered socket CA");
    private static final TestPki.Issued SERVER = TestPki.server(CA);

    @Test
    void tlsRecordsOfEverySizeArriveIntactThroughTheBuffer() throws Exception {
        byte[] payload = new byte[3 * ReadBufferedSocket.BUFFER_SIZE + 4321];
        new Random(7).nextBytes(payload);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (SSLServerSocket server = (SSLServerSocket) serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            // The server sends one small record, then the payload in pieces of uneven size.
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (Socket accepted = server.accept(); OutputStream out = accepted.getOutputStream()) {
                    out.write(new byte[] {42});
                    out.flush();
                    for (int off = 0, step = 1; off < payload.length; off += step, step = step * 3 + 1) {
                        out.write(payload, off, Math.min(step, payload.length - off));
                        out.flush();
                    }
                    accepted.getInputStream().read(); // wait until the client has read everything
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket plain = new Socket(loopback, server.getLocalPort());
                 SSLSocket ssl = strategy().upgrade(plain, "localhost", server.getLocalPort(), null, null)) {
                DataInputStream in = new DataInputStream(ssl.getInputStream());
                assertThat(in.readByte()).isEqualTo((byte) 42);
                byte[] received = new byte[payload.length];
                in.readFully(received);
                ssl.getOutputStream().write(1);
                ssl.getOutputStream().flush();

                assertThat(received).isEqualTo(payload);
            }
            sent.join();
        }
    }

    @Test
    void aReadTimeoutSetOnTheTlsSocketReachesThePlainSocketAndFires() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (SSLServerSocket server = (SSLServerSocket) serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket socket = server.accept();
                    ((SSLSocket) socket).startHandshake(); // then stays silent
                    return socket;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket plain = new Socket(loopback, server.getLocalPort());
                 SSLSocket ssl = strategy().upgrade(plain, "localhost", server.getLocalPort(), null, null)) {
                ssl.setSoTimeout(200);

                assertThat(plain.getSoTimeout()).isEqualTo(200);
                InputStream in = ssl.getInputStream();
                assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            } finally {
                accepted.join().close();
            }
        }
    }

    private static BackendTlsStrategy strategy() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", CA.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return new BackendTlsStrategy(context, true, new RecordedHandshakes().handshakes(null, null));
    }

    private static SSLContext serverContext() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(SERVER.keyStore("changeit"), "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
