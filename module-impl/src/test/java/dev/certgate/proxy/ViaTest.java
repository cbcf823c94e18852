package dev.certgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.certs.MasterKey;
import dev.certgate.config.HomeLayout;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.RawHttp;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's Via entry is appended to what came before it, and a request that already carries it is refused. */
class ViaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");
    private static final String OURS = "1.1 " + GatewayHarness.VIA_PSEUDONYM;

    private static MtlsBackend backend;
    private static GatewayHarness gateway;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        gateway = GatewayHarness.start(TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .api("echo", "echo", backend.url(), inbound(AuthenticationCertificate.byId("client")))
                .snapshot()).key(TestConfig.key("client", CLIENT));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @BeforeEach
    void forgetRequests() {
        backend.reset();
    }

    @Test
    void theGatewaysEntryIsAppendedToThoseOfEarlierProxies() throws Exception {
        assertThat(viaSeenByTheBackEnd("")).isEqualTo("[\"" + OURS + "\"]");
        assertThat(viaSeenByTheBackEnd("Via: 1.0 fred, 1.1 p.example.net\n"))
                .isEqualTo("[\"1.0 fred, 1.1 p.example.net, " + OURS + "\"]");
        // Names that merely contain ours are someone else's.
        assertThat(viaSeenByTheBackEnd("Via: 1.1 " + GatewayHarness.VIA_PSEUDONYM + "-2, 1.1 x"
                + GatewayHarness.VIA_PSEUDONYM + "\n"))
                .isEqualTo("[\"1.1 " + GatewayHarness.VIA_PSEUDONYM + "-2, 1.1 x" + GatewayHarness.VIA_PSEUDONYM
                        + ", " + OURS + "\"]");
    }

    @Test
    void anHttp10RequestIsNamedAsReceived() throws Exception {
        RawHttp.Response response = RawHttp.exchange(gateway.port(), """
                GET /echo/x HTTP/1.0
                Host: gateway.example

                """);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("headers").get("Via").toString())
                .isEqualTo("[\"1.0 " + GatewayHarness.VIA_PSEUDONYM + "\"]");
    }

    @Test
    void aRequestThatAlreadyPassedThroughThisGatewayIsRefusedAsALoop() throws Exception {
        for (String via : new String[] {OURS, "1.0 fred, " + OURS, "1.1 " + GatewayHarness.VIA_PSEUDONYM + ":8080",
                "2 " + GatewayHarness.VIA_PSEUDONYM + " (Certgate)"}) {
            RawHttp.Response response = RawHttp.exchange(gateway.port(), """
                    GET /echo/x HTTP/1.1
                    Host: gateway.example
                    Via: %s
                    Connection: close

                    """.formatted(via));

            assertThat(response.status()).as(via).isEqualTo(508);
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.get("reason").asText()).isEqualTo("LoopDetected");
            assertThat(error.get("statusCode").asInt()).isEqualTo(508);
            assertThat(error.get("requestId").asText()).isNotBlank();
        }
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void thePseudonymIsTheSameForEveryInstanceOnOneHomeAndDiffersBetweenHomes() {
        String first = Via.pseudonym(MasterKey.loadOrCreate(new HomeLayout(temp.resolve("a")), Map.of()));
        String again = Via.pseudonym(MasterKey.loadOrCreate(new HomeLayout(temp.resolve("a")), Map.of()));
        String other = Via.pseudonym(MasterKey.loadOrCreate(new HomeLayout(temp.resolve("b")), Map.of()));

        assertThat(first).matches("certgate-[0-9a-f]{12}").isEqualTo(again).isNotEqualTo(other);
    }

    private static String viaSeenByTheBackEnd(String extraHeaders) throws Exception {
        RawHttp.Response response = RawHttp.exchange(gateway.port(), "GET /echo/x HTTP/1.1\nHost: gateway.example\n"
                + extraHeaders + "Connection: close\n\n");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("headers").get("Via").toString();
    }
}
