package dev.certgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.outbound.PoolSettings;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.RawHttp;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * X-Forwarded-Host and -Proto carry the gateway's own values unless the peer is a trusted proxy, and Forwarded,
 * X-Forwarded-Port and X-Real-IP come only from one; -For always grows. The test calls from 127.0.0.1: one gateway trusts it, one trusts only another range, one nobody.
 */
class ForwardedHeadersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");
    private static final String REQUEST = """
            GET /echo/x HTTP/1.1
            Host: gateway.example:8080
            Connection: close
            X-Forwarded-For: 203.0.113.7
            X-Forwarded-Host: evil.example
            X-Forwarded-Proto: https
            Forwarded: for=203.0.113.7;host=evil.example;proto=https
            X-Forwarded-Port: 443
            X-Real-IP: 203.0.113.7
            X-Forwarded-Prefix: //evil.example
            x-forwarded-ssl: on
            X-Proxied-Https: on

            """;

    private static MtlsBackend backend;
    private static GatewayHarness trustsNobody;
    private static GatewayHarness trustsLoopback;
    private static GatewayHarness trustsOthers;

    @BeforeAll
    static void start() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        trustsNobody = gateway(TrustedProxies.NONE);
        trustsLoopback = gateway(TrustedProxies.parse("127.0.0.0/8, ::1"));
        trustsOthers = gateway(TrustedProxies.parse("10.0.0.0/8"));
    }

    private static GatewayHarness gateway(TrustedProxies trusted) {
        GatewaySnapshot snapshot = TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .api("echo", "echo", backend.url(), inbound(AuthenticationCertificate.byId("client")))
                .snapshot();
        return GatewayHarness.start(snapshot, PoolSettings.DEFAULTS, trusted).key(TestConfig.key("client", CLIENT));
    }

    @AfterAll
    static void stop() {
        trustsNobody.close();
        trustsLoopback.close();
        trustsOthers.close();
        backend.close();
    }

    @Test
    void byDefaultTheCallersHostAndProtoAreReplacedWithTheGatewaysOwn() throws Exception {
        JsonNode headers = headersSeenThrough(trustsNobody);

        assertThat(headers.get("X-Forwarded-Host").toString()).isEqualTo("[\"gateway.example:8080\"]");
        assertThat(headers.get("X-Forwarded-Proto").toString()).isEqualTo("[\"http\"]");
        assertThat(headers.get("X-Forwarded-For").toString()).isEqualTo("[\"203.0.113.7, 127.0.0.1\"]");
        // Spring, for one, takes host and scheme from Forwarded before X-Forwarded-*: a caller's would win there.
        assertThat(headers.has("Forwarded")).as(headers.toString()).isFalse();
        assertThat(headers.has("X-Forwarded-Port")).as(headers.toString()).isFalse();
        assertThat(headers.has("X-Real-IP")).as(headers.toString()).isFalse();
        // Spring builds the links a back end answers with from X-Forwarded-Prefix; Jetty marks a request secure on
        // X-Proxied-Https.
        assertThat(headers.has("X-Forwarded-Prefix")).as(headers.toString()).isFalse();
        assertThat(headers.has("x-forwarded-ssl")).as(headers.toString()).isFalse();
        assertThat(headers.has("X-Proxied-Https")).as(headers.toString()).isFalse();
    }

    @Test
    void aTrustedProxysHostAndProtoAreKeptWithTheGatewaysAppended() throws Exception {
        JsonNode headers = headersSeenThrough(trustsLoopback);

        assertThat(headers.get("X-Forwarded-Host").toString()).isEqualTo("[\"evil.example, gateway.example:8080\"]");
        assertThat(headers.get("X-Forwarded-Proto").toString()).isEqualTo("[\"https, http\"]");
        assertThat(headers.get("X-Forwarded-For").toString()).isEqualTo("[\"203.0.113.7, 127.0.0.1\"]");
        assertThat(headers.get("Forwarded").toString()).isEqualTo("[\"for=203.0.113.7;host=evil.example;proto=https\"]");
        assertThat(headers.get("X-Forwarded-Port").toString()).isEqualTo("[\"443\"]");
        assertThat(headers.get("X-Real-IP").toString()).isEqualTo("[\"203.0.113.7\"]");
        assertThat(headers.get("X-Forwarded-Prefix").toString()).isEqualTo("[\"//evil.example\"]");
    }

    @Test
    void aPeerOutsideTheTrustedRangesIsNotTrusted() throws Exception {
        JsonNode headers = headersSeenThrough(trustsOthers);

        assertThat(headers.get("X-Forwarded-Host").toString()).isEqualTo("[\"gateway.example:8080\"]");
        assertThat(headers.get("X-Forwarded-Proto").toString()).isEqualTo("[\"http\"]");
        assertThat(headers.has("Forwarded")).as(headers.toString()).isFalse();
    }

    @Test
    void theDefaultPortIsLeftOutOfTheHost() throws Exception {
        RawHttp.Response response = RawHttp.exchange(trustsNobody.port(), """
                GET /echo/x HTTP/1.1
                Host: gateway.example
                Connection: close

                """);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("headers").get("X-Forwarded-Host").toString())
                .isEqualTo("[\"gateway.example\"]");
    }

    private static JsonNode headersSeenThrough(GatewayHarness gateway) throws Exception {
        RawHttp.Response response = RawHttp.exchange(gateway.port(), REQUEST);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("headers");
    }
}
