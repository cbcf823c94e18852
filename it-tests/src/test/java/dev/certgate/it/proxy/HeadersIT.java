package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
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
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTRACT §4 on the wire, through the real WAR: hop-by-hop headers stay on their hop in both directions,
 * X-Forwarded-* are the gateway's, Location and Set-Cookie come back unchanged, and the health probe path answers
 * by itself even under a root API.
 */
@ExtendWith(ArquillianExtension.class)
class HeadersIT {
    private static final String PROBE = "status-0123456789abcdef";
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(HeadersIT.class);
        return CertgateWar.forClass(HeadersIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @BeforeEach
    void configureAnEchoApi() {
        if (!configured) {
            setup().trustTestServersAndStoreClient(TestCerts.client("headers"));
            setup().apiPresenting("echo", "echo", BACKEND.url() + "/svc", "client");
            configured = true;
        }
    }

    private GatewaySetup setup() {
        return new GatewaySetup(base);
    }

    private Caller caller() {
        return new Caller(base);
    }

    @Test
    void utf8InHeaderValuesReachesTheBackEndByteForByteAndInTheTargetPercentEncoded() throws IOException {
        // Sent by hand as raw UTF-8 bytes, as some clients do: the JDK client encodes the target and refuses such
        // header values. Jetty on both sides reads header bytes as ISO-8859-1, so that is how they compare. (Jetty
        // refuses such bytes in a path with 400 itself; in a query it takes them.)
        String quoted = latin1("\u201cq\u201d \u2014 \u20ac caf\u00e9");
        RawHttp.Response response = RawHttp.exchange(base.getPort(), "GET " + base.getPath() + "echo/caf%C3%A9"
                + "?e=" + latin1("\u00e9") + "&q=" + latin1("\u65e5\u672c") + "&kept=%2F HTTP/1.1\n"
                + "Host: localhost\nX-Utf8: " + quoted + "\nConnection: close\n\n");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        MtlsBackend.Seen seen = BACKEND.lastRequest();
        assertThat(seen.header("X-Utf8")).isEqualTo(quoted);
        assertThat(seen.path()).isEqualTo("/svc/caf%C3%A9");
        assertThat(seen.query()).isEqualTo("e=%C3%A9&q=%E6%97%A5%E6%9C%AC&kept=%2F");
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void hopByHopHeadersStayOnTheirHopBothWaysAndForwardedHeadersAreAdded() throws IOException {
        // By hand: the JDK client refuses to send Connection, Keep-Alive, TE and friends. (No Upgrade: Jetty
        // itself answers 400 to an upgrade it cannot perform, so that one never reaches a servlet.)
        RawHttp.Response response = RawHttp.exchange(base.getPort(), """
                GET %secho/hop HTTP/1.1
                Host: gateway.example:8080
                Connection: close, X-Named-Hop
                X-Named-Hop: only for the gateway
                Keep-Alive: timeout=5
                TE: trailers
                Trailer: X-Checksum
                Proxy-Authorization: Basic Z2F0ZXdheTpvbmx5
                Proxy-Connection: keep-alive
                X-Forwarded-For: 203.0.113.7
                X-End-To-End: yes

                """.formatted(base.getPath()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode headers = Caller.json(response.body()).path("headers");
        for (String hop : new String[] {"X-Named-Hop", "Keep-Alive", "TE", "Trailer", "Proxy-Authorization",
                "Proxy-Connection"}) {
            assertThat(headers.has(hop)).as(hop + " reached the back end: " + headers).isFalse();
        }
        // The gateway's own hop may carry its own Connection header, never the caller's.
        assertThat(headers.path("Connection").toString()).doesNotContainIgnoringCase("close")
                .doesNotContainIgnoringCase("X-Named-Hop");
        assertThat(headers.path("X-End-To-End").get(0).asText()).isEqualTo("yes");
        assertThat(headers.path("Host").get(0).asText()).isEqualTo("localhost:" + BACKEND.port());
        assertThat(headers.path("X-Forwarded-For").get(0).asText()).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(headers.path("X-Forwarded-Proto").get(0).asText()).isEqualTo("http");
        assertThat(headers.path("X-Forwarded-Host").get(0).asText()).isEqualTo("gateway.example:8080");

        // The back end's /hop answer carries Keep-Alive, Proxy-Authenticate and a field its Connection names.
        assertThat(response.headerValues("Keep-Alive")).isEmpty();
        assertThat(response.headerValues("Proxy-Authenticate")).isEmpty();
        assertThat(response.headerValues("X-Named-In-Connection")).isEmpty();
        assertThat(response.headerValues("X-End-To-End")).containsExactly("kept");
        assertThat(response.headerValues("Date")).hasSize(1);
    }

    /** Issue 15 item 7: X-Forwarded-Host and -Proto carry what the gateway saw, not what the caller claims. */
    @Test
    void aCallersForwardedHostAndProtoAreReplacedWithTheGatewaysOwn() throws IOException {
        RawHttp.Response response = RawHttp.exchange(base.getPort(), """
                GET %secho/forwarded HTTP/1.1
                Host: gateway.example:8080
                X-Forwarded-Host: evil.example
                X-Forwarded-Proto: https
                X-Forwarded-For: 203.0.113.7
                Connection: close

                """.formatted(base.getPath()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode headers = Caller.json(response.body()).path("headers");
        assertThat(headers.path("X-Forwarded-Host").toString()).isEqualTo("[\"gateway.example:8080\"]");
        assertThat(headers.path("X-Forwarded-Proto").toString()).isEqualTo("[\"http\"]");
        assertThat(headers.path("X-Forwarded-For").toString()).isEqualTo("[\"203.0.113.7, 127.0.0.1\"]");
    }

    @Test
    void locationAndSetCookieComeBackUnchanged() {
        String elsewhere = "https://elsewhere.example/landing?from=gateway";

        HttpResponse<String> response = caller().get("echo/redirect?to="
                + URLEncoder.encode(elsewhere, StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        assertThat(response.headers().allValues("Location")).containsExactly(elsewhere);
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("session=abc; Path=/; HttpOnly");
    }

    @Test
    void theHealthProbeAnswersByItselfWithoutCredentialsEvenUnderARootApi() {
        assertProbeAnswers();

        setup().apiPresenting("root", "", BACKEND.url() + "/root-api", "client");
        assertThat(caller().echo("anything/else").path("path").asText()).isEqualTo("/root-api/anything/else");

        assertProbeAnswers();
        assertThat(BACKEND.requests()).noneMatch(seen -> seen.path().contains(PROBE));
    }

    private void assertProbeAnswers() {
        HttpResponse<String> get = caller().get(PROBE);
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(get.body()).isEmpty();
        HttpResponse<String> head = caller().send(caller().request(PROBE)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
    }
}
