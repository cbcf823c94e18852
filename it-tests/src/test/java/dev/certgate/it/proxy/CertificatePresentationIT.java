package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Pem;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4 through the real WAR: each call presents the client certificate its policy or backend names, over
 * TLS connections that are pooled per certificate and reused. The back end's own record is the proof.
 */
@ExtendWith(ArquillianExtension.class)
class CertificatePresentationIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static boolean serverCaTrusted;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(CertificatePresentationIT.class);
        return CertgateWar.forClass(CertificatePresentationIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void trustTheTestServerCa() {
        if (!serverCaTrusted) {
            setup().authority("test-server-ca", TestCerts.SERVER_CA.certificate());
            serverCaTrusted = true;
        }
    }

    private GatewaySetup setup() {
        return new GatewaySetup(base);
    }

    private Caller caller() {
        return new Caller(base);
    }

    @Test
    void aPolicyNamingAThumbprintPresentsThatCertificate() {
        TestPki.Issued client = TestCerts.client("by-thumbprint");
        String thumbprint = setup().certificate("thumbprinted", client);
        assertThat(thumbprint).isEqualTo(Pem.sha1(client.certificate()));
        setup().api("thumbprint", "thumbprint", BACKEND.url() + "/t");
        // The way people paste it from a certificate viewer: lower case with colons.
        setup().inbound("thumbprint", "<authentication-certificate thumbprint=\"" + colonForm(thumbprint) + "\" />");

        JsonNode echo = caller().echo("thumbprint/hello?x=1");

        assertThat(echo.path("clientThumbprint").asText()).isEqualTo(thumbprint);
        MtlsBackend.Seen seen = seen("/t/hello");
        assertThat(seen.clientThumbprint()).isEqualTo(thumbprint);
        assertThat(seen.query()).isEqualTo("x=1");
    }

    @Test
    void sniNamesTheBackEndsHostNameAndIsNeverSentForAnIpLiteral() {
        setup().certificate("sni", TestCerts.client("sni"));
        setup().apiPresenting("by-name", "by-name", BACKEND.url("localhost") + "/by-name", "sni");
        setup().apiPresenting("by-address", "by-address", BACKEND.url("127.0.0.1") + "/by-address", "sni");

        caller().echo("by-name/x");
        caller().echo("by-address/x");

        assertThat(seen("/by-name/x").sni()).isEqualTo("localhost");
        assertThat(seen("/by-address/x").sni()).isNull();
    }

    @Test
    void aPolicyNamingACertificateIdPresentsThatCertificateWithItsWholeChain() {
        // Issued by an intermediate; the back end trusts only the root, so it accepts only the whole chain.
        TestPki.Issued intermediate = TestPki.issue(TestCerts.CLIENT_CA,
                TestPki.spec().subject("CN=Certgate IT Client Intermediate").ca().ec());
        TestPki.Issued client = TestPki.issue(intermediate, TestPki.spec().subject("CN=by-id").clientAuth().ec());
        setup().certificate("by-id", client);
        setup().apiPresenting("by-id", "by-id", BACKEND.url() + "/i", "by-id");

        caller().echo("by-id/hello");

        assertThat(seen("/i/hello").clientThumbprint()).isEqualTo(Pem.sha1(client.certificate()));
    }

    @Test
    void backendCredentialsPresentTheirCertificateAndAPolicyWinsOverThem() {
        TestPki.Issued credentials = TestCerts.client("backend-credentials");
        TestPki.Issued policy = TestCerts.client("policy-wins");
        setup().certificate("credentials", credentials);
        setup().certificate("policy-wins", policy);
        setup().backend("with-credentials", Map.of("url", BACKEND.url() + "/b", "protocol", "http",
                "credentials", Map.of("certificateIds", List.of("/certificates/credentials"))));
        setup().api("via-backend", "via-backend", "https://unused.invalid");
        setup().inbound("via-backend", "<set-backend-service backend-id=\"with-credentials\" />");
        setup().api("policy-first", "policy-first", "https://unused.invalid");
        setup().inbound("policy-first", "<set-backend-service backend-id=\"with-credentials\" />"
                + "<authentication-certificate certificate-id=\"policy-wins\" />");

        caller().echo("via-backend/one");
        caller().echo("policy-first/two");

        assertThat(seen("/b/one").clientThumbprint()).isEqualTo(Pem.sha1(credentials.certificate()));
        assertThat(seen("/b/two").clientThumbprint()).isEqualTo(Pem.sha1(policy.certificate()));
    }

    @Test
    void fiftyInterleavedConcurrentRequestsOfTwoApisEachCarryTheirOwnApisCertificate() throws Exception {
        TestPki.Issued left = TestCerts.client("left");
        TestPki.Issued right = TestCerts.client("right");
        setup().certificate("left", left);
        setup().certificate("right", right);
        setup().apiPresenting("left", "left", BACKEND.url() + "/left-side", "left");
        setup().apiPresenting("right", "right", BACKEND.url() + "/right-side", "right");

        List<Integer> statuses = concurrently(50, i -> caller().get(side(i) + "/request-" + i).statusCode());

        assertThat(statuses).containsOnly(200);
        for (int i = 0; i < 50; i++) {
            TestPki.Issued expected = i % 2 == 0 ? left : right;
            assertThat(seen("/" + side(i) + "-side/request-" + i).clientThumbprint()).as("request " + i)
                    .isEqualTo(Pem.sha1(expected.certificate()));
        }
    }

    @Test
    void fiveHundredSequentialRequestsReuseThePooledConnections() {
        TestPki.Issued client = TestCerts.client("steady");
        try (MtlsBackend own = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate())) {
            String thumbprint = setup().certificate("steady", client);
            setup().apiPresenting("steady", "steady", own.url(), "steady");

            for (int i = 0; i < 500; i++) {
                int status = caller().get("steady/n-" + i).statusCode();
                assertThat(status).as("request " + i).isEqualTo(200);
            }

            assertThat(own.requests()).hasSize(500);
            JsonNode pool = pool("steady");
            assertThat(pool.path("thumbprint").asText()).isEqualTo(thumbprint);
            long handshakes = own.handshakes();
            assertThat(handshakes).isPositive()
                    .isLessThanOrEqualTo(pool.path("max").asLong())
                    // one TLS handshake per pooled connection, not one per request
                    .isLessThanOrEqualTo(pool.path("available").asLong() + pool.path("leased").asLong());
            assertThat(pool.path("handshakes").asLong()).as("the gateway's own count").isEqualTo(handshakes);
        }
    }

    /** The one request the back end saw with this raw path. */
    private static MtlsBackend.Seen seen(String path) {
        List<MtlsBackend.Seen> matching = BACKEND.requests().stream().filter(s -> s.path().equals(path)).toList();
        assertThat(matching).as("requests the back end saw at " + path).hasSize(1);
        return matching.get(0);
    }

    private JsonNode pool(String certificateId) {
        Reply status = setup().admin().get("status");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        List<JsonNode> pools = StreamSupport.stream(status.json().path("pools").spliterator(), false)
                .filter(p -> certificateId.equals(p.path("certificateId").asText())).toList();
        assertThat(pools).as(status.body()).hasSize(1);
        return pools.get(0);
    }

    private static String side(int i) {
        return i % 2 == 0 ? "left" : "right";
    }

    /** {@code ab:cd:…}: lower case with colons. */
    private static String colonForm(String thumbprint) {
        return HexFormat.ofDelimiter(":").formatHex(HexFormat.of().parseHex(thumbprint));
    }

    private interface Call<T> {
        T call(int index) throws Exception;
    }

    /** Runs {@code count} calls on their own threads, released at once; answers their results in order. */
    private static <T> List<T> concurrently(int count, Call<T> call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    start.await();
                    return call.call(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
