package dev.certgate.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.TlsSettings;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.testsupport.GatewayHarness;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestConfig;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.certgate.testsupport.TestConfig.inbound;
import static org.assertj.core.api.Assertions.assertThat;

/** How the back end's certificate is checked: uploaded authorities, the backend's tls flags, and SNI. */
class BackendTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestPki.Issued CLIENT = TestCerts.client("client");
    private static final TestPki.Issued PRIVATE_CA =
            TestPki.selfSigned(TestPki.spec().subject("CN=Private Back-End CA").ca().ec());

    private static MtlsBackend privateCa;
    private static MtlsBackend selfSigned;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        privateCa = MtlsBackend.start(TestCerts.server(PRIVATE_CA), TestCerts.CLIENT_CA.certificate());
        selfSigned = MtlsBackend.start(TestPki.selfSigned(TestPki.spec().subject("CN=localhost")
                .dns("localhost").ip("127.0.0.1").serverAuth().ec()), TestCerts.CLIENT_CA.certificate());
        gateway = GatewayHarness.start(config(false).snapshot());
        gateway.key(TestConfig.key("client", CLIENT));
    }

    private static TestConfig config(boolean trustPrivateCa) {
        AuthenticationCertificate client = AuthenticationCertificate.byId("client");
        TestConfig config = TestConfig.create()
                .certificate("client", CLIENT.certificate())
                .backend("no-chain-check", new BackendProperties(selfSigned.url(), "http", null,
                        new TlsSettings(false, true), null))
                .backend("checked", new BackendProperties(selfSigned.url(), "http", null, null, null))
                .api("private", "private", privateCa.url(), inbound(client))
                .api("private-ip", "private-ip", privateCa.url("127.0.0.1"), inbound(client))
                .api("self-signed", "self", null, inbound(new SetBackendService(null, "no-chain-check"), client))
                .api("self-signed-checked", "self-checked", null,
                        inbound(new SetBackendService(null, "checked"), client));
        return trustPrivateCa ? config.authority("private-ca", PRIVATE_CA.certificate()) : config;
    }

    @AfterAll
    static void stop() {
        gateway.close();
        privateCa.close();
        selfSigned.close();
    }

    @Test
    void aPrivateCaIsTrustedOnceUploadedAsAnAuthorityAndNoLongerOnceRemoved() throws Exception {
        gateway.snapshot(config(false).snapshot());
        assertReason(gateway.get("/private/x"), 500, "BackendTlsValidationFailed");

        gateway.snapshot(config(true).snapshot());
        HttpResponse<String> trusted = gateway.get("/private/x");
        assertThat(trusted.statusCode()).as(trusted.body()).isEqualTo(200);

        gateway.snapshot(config(false).snapshot());
        assertReason(gateway.get("/private/y"), 500, "BackendTlsValidationFailed");
    }

    @Test
    void chainValidationOffAcceptsASelfSignedBackEnd() throws Exception {
        HttpResponse<String> response = gateway.get("/self/x");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("clientThumbprint").asText())
                .isEqualTo(MtlsBackend.thumbprint(CLIENT.certificate()));
        assertReason(gateway.get("/self-checked/x"), 500, "BackendTlsValidationFailed");
    }

    @Test
    void sniIsSentForASingleLabelHostNameAndNeverForAnIpLiteral() throws Exception {
        gateway.snapshot(config(true).snapshot());
        assertThat(gateway.get("/private/sni-by-name").statusCode()).isEqualTo(200);
        assertThat(gateway.get("/private-ip/sni-by-ip").statusCode()).isEqualTo(200);

        assertThat(privateCa.requests()).filteredOn(s -> s.path().equals("/sni-by-name"))
                .singleElement().extracting(MtlsBackend.Seen::sni).isEqualTo("localhost");
        assertThat(privateCa.requests()).filteredOn(s -> s.path().equals("/sni-by-ip"))
                .singleElement().extracting(MtlsBackend.Seen::sni).isNull();
    }

    private static void assertReason(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("reason").asText()).isEqualTo(reason);
    }
}
