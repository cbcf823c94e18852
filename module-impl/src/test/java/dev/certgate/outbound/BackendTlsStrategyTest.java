package dev.certgate.outbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
}
