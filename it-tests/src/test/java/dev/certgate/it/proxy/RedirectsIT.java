package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.testsupport.MtlsBackend;
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

import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code forward-request follow-redirects="true"} through the real WAR: a redirect that sends the caller's request
 * again unchanged to the same back end is followed; any other reaches the caller as the back end sent it, so the
 * client certificate is never presented to another server and a request with a body is never left unanswered.
 */
@ExtendWith(ArquillianExtension.class)
class RedirectsIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static final MtlsBackend ELSEWHERE = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(RedirectsIT.class);
        return CertgateWar.forClass(RedirectsIT.class);
    }

    @AfterAll
    static void stopBackends() {
        BACKEND.close();
        ELSEWHERE.close();
    }

    @BeforeEach
    void configureAnApiFollowingRedirects() {
        if (!configured) {
            GatewaySetup setup = new GatewaySetup(base);
            setup.trustTestServersAndStoreClient(TestCerts.client("redirects"));
            setup.api("follow", "follow", BACKEND.url() + "/svc");
            setup.policy("follow", "<policies><inbound><base /><authentication-certificate certificate-id=\"client\" />"
                    + "</inbound><backend><forward-request timeout=\"5\" follow-redirects=\"true\" /></backend>"
                    + "<outbound><base /></outbound><on-error><base /></on-error></policies>");
            configured = true;
        }
        BACKEND.reset();
        ELSEWHERE.reset();
    }

    @Test
    void aRedirectToTheSameBackEndOfABodilessRequestIsFollowedWithTheCallersHeaders() {
        for (int status : new int[] {301, 302, 303, 307, 308}) {
            HttpResponse<String> response = caller().send(caller().request(redirect(status, BACKEND.url() + "/svc/target"))
                    .header("X-Caller", "kept").GET().build());

            assertThat(response.statusCode()).as(status + ": " + response.body()).isEqualTo(200);
            JsonNode echo = Caller.json(response.body());
            assertThat(echo.path("path").asText()).as("after " + status).isEqualTo("/svc/target");
            assertThat(echo.path("headers").path("X-Caller").get(0).asText()).as("after " + status).isEqualTo("kept");
            assertThat(echo.path("headers").has("X-Forwarded-For")).as("after " + status).isTrue();
        }
    }

    @Test
    void aRequestWithABodyGetsTheRedirectItselfInsteadOfWaitingForever() {
        for (int status : new int[] {307, 308}) {
            HttpResponse<String> response = caller().send(caller().request(redirect(status, BACKEND.url() + "/svc/target"))
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("an order")).build());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
            assertThat(response.headers().firstValue("Location")).hasValue(BACKEND.url() + "/svc/target");
            assertThat(BACKEND.requests()).extracting(MtlsBackend.Seen::path).doesNotContain("/svc/target");
            BACKEND.reset();
        }
    }

    @Test
    void aRedirectThatWouldTurnAPostIntoAGetIsPassedOn() {
        for (int status : new int[] {301, 302, 303}) {
            HttpResponse<String> response = caller().send(caller().request(redirect(status, BACKEND.url() + "/svc/target"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
            assertThat(BACKEND.requests()).extracting(MtlsBackend.Seen::path).doesNotContain("/svc/target");
            BACKEND.reset();
        }
    }

    @Test
    void aRedirectToAnotherServerIsPassedOnAndThatServerNeverSeesTheCertificate() {
        String[] elsewhere = {ELSEWHERE.url() + "/svc/target", ELSEWHERE.plainUrl() + "/svc/target",
                BACKEND.plainUrl() + "/svc/target", "https://gateway.example/svc/target"};
        for (String location : elsewhere) {
            HttpResponse<String> response = caller().send(caller().request(redirect(302, location)).GET().build());

            assertThat(response.statusCode()).as(location + ": " + response.body()).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).hasValue(location);
        }
        assertThat(ELSEWHERE.requests()).isEmpty();
        assertThat(ELSEWHERE.handshakes()).isZero();
    }

    private static String redirect(int status, String to) {
        return "follow/redirect?status=" + status + "&to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
    }

    private Caller caller() {
        return new Caller(base);
    }
}
