package dev.certgate.proxy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HopByHopTest {
    @Test
    void theRfcSetAndEveryProxyHeaderAreHopByHop() {
        for (String name : List.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                "trailer", "transfer-encoding", "upgrade", "proxy-connection", "proxy-anything")) {
            assertThat(HopByHop.is(name)).as(name).isTrue();
        }
        for (String name : List.of("authorization", "cookie", "set-cookie", "location", "content-type", "x-upgrade")) {
            assertThat(HopByHop.is(name)).as(name).isFalse();
        }
    }

    @Test
    void connectionTokensNameMoreHopByHopFields() {
        assertThat(HopByHop.connectionTokens(List.of("close, X-Secret", " Keep-Alive ,,x-other")))
                .containsExactlyInAnyOrder("close", "x-secret", "keep-alive", "x-other");
        assertThat(HopByHop.connectionTokens(List.of())).isEmpty();
    }
}
