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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 item 7: with the context parameter {@code certgate.trustedProxies} naming the caller's address (the
 * test runs on loopback, as a proxy on the same host would), the caller's X-Forwarded-Host and -Proto are kept
 * and the gateway's appended. HeadersIT shows the default, which replaces them.
 */
@ExtendWith(ArquillianExtension.class)
class TrustedProxiesIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(TrustedProxiesIT.class);
        return CertgateWar.forClass(TrustedProxiesIT.class,
                Map.of("certgate.trustedProxies", "192.0.2.0/24, 127.0.0.1"));
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void aTrustedProxysForwardedHostAndProtoAreKeptAndTheGatewaysAppended() throws IOException {
        GatewaySetup setup = new GatewaySetup(base);
        setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
        setup.certificate("client", TestCerts.client("trusted-proxies"));
        setup.apiPresenting("echo", "echo", BACKEND.url() + "/svc", "client");

        RawHttp.Response response = RawHttp.exchange(base.getPort(), """
                GET %secho/forwarded HTTP/1.1
                Host: gateway.internal:8080
                X-Forwarded-Host: api.example.com
                X-Forwarded-Proto: https
                X-Forwarded-For: 203.0.113.7
                Connection: close

                """.formatted(base.getPath()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode headers = Caller.json(response.body()).path("headers");
        assertThat(headers.path("X-Forwarded-Host").toString()).isEqualTo("[\"api.example.com, gateway.internal:8080\"]");
        assertThat(headers.path("X-Forwarded-Proto").toString()).isEqualTo("[\"https, http\"]");
        assertThat(headers.path("X-Forwarded-For").toString()).isEqualTo("[\"203.0.113.7, 127.0.0.1\"]");
    }
}
