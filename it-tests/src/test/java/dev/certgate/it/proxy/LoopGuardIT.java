package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.RawHttp;
import dev.certgate.testsupport.TestCerts;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 16 through the real WAR: every forwarded request carries the gateway's {@code Via} entry after
 * those of earlier proxies, and an API whose back end is the gateway itself answers 508 at once instead of
 * calling itself until its pool runs dry.
 */
@ExtendWith(ArquillianExtension.class)
class LoopGuardIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static final Pattern OUR_ENTRY = Pattern.compile("1\\.1 certgate-[0-9a-f]{12}");
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(LoopGuardIT.class);
        return CertgateWar.forClass(LoopGuardIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void configure() {
        if (!configured) {
            GatewaySetup setup = new GatewaySetup(base);
            setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
            setup.certificate("client", TestCerts.client("loop"));
            setup.apiPresenting("echo", "echo", BACKEND.url() + "/svc", "client");
            // Plain HTTP back to this very web application: every call would come round again.
            setup.api("loop", "loop", base.toExternalForm() + "loop");
            // The same loop behind a policy that deletes every Via it is given: ours is added after the policies.
            setup.api("masked-loop", "masked-loop", base.toExternalForm() + "masked-loop");
            setup.inbound("masked-loop", "<set-header name=\"Via\" exists-action=\"delete\" />");
            configured = true;
        }
    }

    @Test
    void aViaFromAnotherProxyIsKeptAndOursAppended() throws IOException {
        RawHttp.Response response = RawHttp.exchange(base.getPort(), """
                GET %secho/via HTTP/1.1
                Host: gateway.example
                Via: 1.0 corporate-proxy
                Connection: close

                """.formatted(base.getPath()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String via = Caller.json(response.body()).path("headers").path("Via").get(0).asText();
        assertThat(via).startsWith("1.0 corporate-proxy, ");
        assertThat(via.substring("1.0 corporate-proxy, ".length())).matches(OUR_ENTRY);
    }

    @Test
    void anApiWhoseBackEndIsTheGatewayItselfAnswers508AtOnce() {
        assertALoopAnswers508AtOnce("loop");
    }

    @Test
    void aPolicyThatDeletesViaCannotHideTheLoop() {
        assertALoopAnswers508AtOnce("masked-loop");
    }

    private void assertALoopAnswers508AtOnce(String api) {
        String marker = UUID.randomUUID().toString();
        Caller caller = new Caller(base);
        long start = System.nanoTime();

        HttpResponse<String> response = caller.send(caller.request(api + "/" + marker)
                .timeout(Duration.ofSeconds(10)).GET().build());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(508);
        JsonNode error = Caller.json(response.body());
        assertThat(error.path("statusCode").asInt()).isEqualTo(508);
        assertThat(error.path("reason").asText()).isEqualTo("LoopDetected");
        assertThat(error.path("requestId").asText()).isNotBlank();

        // The request came round exactly once, and nothing is left running: every pooled connection is back.
        assertThat(ServerLogFile.text().lines().filter(line -> line.contains("/" + api + "/" + marker)
                && line.contains("already passed through this gateway"))).hasSize(1);
        JsonNode pools = Poll.until(Duration.ofSeconds(5), () -> status().json().path("pools"),
                all -> all.findValues("leased").stream().allMatch(n -> n.asInt() == 0));
        assertThat(pools.findValues("leased")).isNotEmpty().allMatch(n -> n.asInt() == 0);
        assertThat(pools.findValues("pending")).allMatch(n -> n.asInt() == 0);
    }

    private Reply status() {
        return new GatewaySetup(base).admin().get("status");
    }
}
