package dev.certgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.outbound.PoolSettings;
import dev.certgate.outbound.PoolStats;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/** The back end sees the certificate the policy or backend names, and only that one, over reused connections. */
class ClientCertificateSelectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued ALPHA = TestCerts.client("alpha");
    private static final TestPki.Issued BETA = TestCerts.client("beta");
    private static final String ALPHA_THUMBPRINT = MtlsBackend.thumbprint(ALPHA.certificate());
    private static final String BETA_THUMBPRINT = MtlsBackend.thumbprint(BETA.certificate());

    private static MtlsBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
        String url = backend.url();
        BackendProperties withCredentials = new BackendProperties(url, "http",
                new BackendCredentials(List.of("/certificates/beta"), null, null), null, null);
        gateway = GatewayHarness.start(TestConfig.create()
                .certificate("alpha", ALPHA.certificate())
                .certificate("beta", BETA.certificate())
                .authority("test-server-ca", TestCerts.SERVER_CA.certificate())
                .backend("credentialed", withCredentials)
                .api("by-thumbprint", "thumb", url, inbound(AuthenticationCertificate.byThumbprint(ALPHA_THUMBPRINT)))
                .api("by-id", "id", url, inbound(AuthenticationCertificate.byId("alpha")))
                .api("by-id-beta", "other/id", url, inbound(AuthenticationCertificate.byId("beta")))
                .api("by-credentials", "cred", null, inbound(new SetBackendService(null, "credentialed")))
                .api("policy-wins", "wins", null, inbound(new SetBackendService(null, "credentialed"),
                        AuthenticationCertificate.byId("alpha")))
                .snapshot());
        gateway.key(TestConfig.key("alpha", ALPHA)).key(TestConfig.key("beta", BETA));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void presentsTheCertificateNamedByThumbprint() throws Exception {
        assertThat(clientThumbprintSeenFor("/thumb/hello")).isEqualTo(ALPHA_THUMBPRINT);
    }

    @Test
    void presentsTheCertificateNamedById() throws Exception {
        assertThat(clientThumbprintSeenFor("/id/hello")).isEqualTo(ALPHA_THUMBPRINT);
        assertThat(clientThumbprintSeenFor("/other/id/hello")).isEqualTo(BETA_THUMBPRINT);
    }

    @Test
    void presentsTheBackendCredentialsCertificate() throws Exception {
        assertThat(clientThumbprintSeenFor("/cred/hello")).isEqualTo(BETA_THUMBPRINT);
    }

    @Test
    void aPolicyWinsOverBackendCredentials() throws Exception {
        assertThat(clientThumbprintSeenFor("/wins/hello")).isEqualTo(ALPHA_THUMBPRINT);
    }

    @Test
    void concurrentRequestsOfTwoApisEachCarryTheirOwnCertificate() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String n = Integer.toString(i);
                answers.add(callers.submit(() -> echo("/id/concurrent/alpha/" + n)));
                answers.add(callers.submit(() -> echo("/other/id/concurrent/beta/" + n)));
            }
            for (Future<JsonNode> answer : answers) {
                JsonNode echo = answer.get();
                String expected = echo.get("path").asText().contains("/alpha/") ? ALPHA_THUMBPRINT : BETA_THUMBPRINT;
                assertThat(echo.get("clientThumbprint").asText()).as(echo.get("path").asText()).isEqualTo(expected);
            }
        } finally {
            callers.shutdownNow();
        }
        List<MtlsBackend.Seen> seen = backend.requests();
        assertThat(seen).filteredOn(s -> s.path().startsWith("/concurrent/alpha/")).hasSize(50)
                .allSatisfy(s -> assertThat(s.clientThumbprint()).isEqualTo(ALPHA_THUMBPRINT));
        assertThat(seen).filteredOn(s -> s.path().startsWith("/concurrent/beta/")).hasSize(50)
                .allSatisfy(s -> assertThat(s.clientThumbprint()).isEqualTo(BETA_THUMBPRINT));
    }

    @Test
    void sequentialKeepAliveRequestsReuseOnePooledConnection() throws Exception {
        echo("/id/warm-up");
        long backendBefore = backend.handshakes();
        long poolBefore = alphaPool().handshakes();
        for (int i = 0; i < 500; i++) {
            HttpResponse<String> response = gateway.get("/id/keepalive");
            assertThat(response.statusCode()).isEqualTo(200);
        }
        // Without one pool per identity and disableConnectionState(), each request would pay a handshake.
        assertThat(backend.handshakes() - backendBefore).isLessThanOrEqualTo(1);
        PoolStats pool = alphaPool();
        assertThat(pool.handshakes() - poolBefore).isLessThanOrEqualTo(1);
        assertThat(pool.certificateId()).isEqualTo("alpha");
        assertThat(pool.max()).isEqualTo(PoolSettings.DEFAULTS.maxTotal());
    }

    private static PoolStats alphaPool() {
        return gateway.pools().stats().stream()
                .filter(s -> ALPHA_THUMBPRINT.equals(s.thumbprint())).findFirst().orElseThrow();
    }

    private static String clientThumbprintSeenFor(String path) throws Exception {
        JsonNode echo = echo(path);
        return echo.get("clientThumbprint").asText();
    }

    private static JsonNode echo(String path) throws Exception {
        HttpResponse<String> response = gateway.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
