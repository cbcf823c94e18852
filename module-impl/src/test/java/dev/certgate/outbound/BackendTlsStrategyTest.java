package dev.certgate.outbound;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    @ParameterizedTest
    @EnumSource(Providers.class)
    void aBackEndThatBreaksTheConnectionDuringTheHandshakeFailsTheHandshake(Providers provider) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket plain = new Socket(loopback, server.getLocalPort())) {
            try (Socket accepted = server.accept()) {
                accepted.setSoLinger(true, 0); // close with a reset, the way a back end refusing us may
            }
            BackendTlsStrategy strategy = new BackendTlsStrategy(
                    BackendTrust.sslContext(provider.tls, null, TrustAnyChain.INSTANCE), true);

            // Without translation the JDK's raw SocketException would read as "back end unreachable".
            assertThatThrownBy(() -> strategy.upgrade(plain, "localhost", server.getLocalPort(), null, null))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasCauseInstanceOf(SocketException.class);
        }
    }

    enum Providers {
        DEFAULT(PoolSettings.DEFAULTS.tls()), JDK(BackendTlsProvider.JDK);

        final BackendTlsProvider tls;

        Providers(BackendTlsProvider tls) {
            this.tls = tls;
        }
    }
}
