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
                .containsExactlyInAnyOrder("close", "x-secret", "x-other"); // Keep-Alive is hop-by-hop anyway
        assertThat(HopByHop.connectionTokens(List.of("keep-alive"))).isEmpty();
        assertThat(HopByHop.connectionTokens(List.of())).isEmpty();
        assertThat(HopByHop.named(HopByHop.connectionTokens(List.of("X-Secret")), "x-SECRET")).isTrue();
    }

    @Test
    void hopByHopFieldsAreKnownInAnyCase() {
        for (String name : List.of("Connection", "KEEP-ALIVE", "Proxy-Authorization", "TE", "Transfer-Encoding",
                "Upgrade", "Trailer", "PROXY-whatever")) {
            assertThat(HopByHop.is(name)).as(name).isTrue();
        }
        for (String name : List.of("Tea", "Content-Length", "Proxy", "Upgraded", "X-Proxy-Id")) {
            assertThat(HopByHop.is(name)).as(name).isFalse();
        }
    }
}
