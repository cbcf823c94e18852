package dev.certgate.outbound;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendTlsStrategyTest {
    @Test
    void sniForEveryDnsNameIncludingSingleLabelOnes() {
        assertThat(BackendTlsStrategy.serverName("localhost").getAsciiName()).isEqualTo("localhost");
        assertThat(BackendTlsStrategy.serverName("orders-svc").getAsciiName()).isEqualTo("orders-svc");
        assertThat(BackendTlsStrategy.serverName("api.example.com").getAsciiName()).isEqualTo("api.example.com");
    }

    @Test
    void noSniForIpLiterals() {
        assertThat(BackendTlsStrategy.serverName("127.0.0.1")).isNull();
        assertThat(BackendTlsStrategy.serverName("::1")).isNull();
        assertThat(BackendTlsStrategy.serverName("[::1]")).isNull();
        assertThat(BackendTlsStrategy.serverName("2001:db8::7")).isNull();
    }

    @Test
    void aBackEndThatBreaksTheConnectionDuringTheHandshakeFailsTheHandshake() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket plain = new Socket(loopback, server.getLocalPort())) {
            try (Socket accepted = server.accept()) {
                accepted.setSoLinger(true, 0); // close with a reset, the way a back end refusing us may
            }
            RecordedHandshakes recorded = new RecordedHandshakes();
            Handshakes handshakes = recorded.handshakes("alpha", "AB12");
            BackendTlsStrategy strategy = new BackendTlsStrategy(SSLContext.getDefault(), true, handshakes);

            // Without translation the JDK's raw SocketException would read as "back end unreachable".
            assertThatThrownBy(() -> strategy.upgrade(plain, "localhost", server.getLocalPort(), null, null))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasCauseInstanceOf(SocketException.class);
            assertThat(handshakes.count()).isZero();
            assertThat(recorded.events).containsExactly("failed alpha AB12 BackendTlsHandshakeFailed");
        }
    }
}
