package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.ErrorShapes;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's TLS dry run through the real WAR, against four real back ends: one that requires a certificate from
 * CA X and names X, a self-signed one, one whose certificate names another host, one that asks for no certificate.
 * Each answer's verdict is the exact reason a call would fail with; no back end ever receives an HTTP request.
 */
@ExtendWith(ArquillianExtension.class)
class TlsCheckIT {
    private static final TestPki.Issued CA_X = TestPki.selfSigned(TestPki.spec().subject("CN=Tls Check CA X, O=Certgate IT").ca().ec());
    private static final TestPki.Issued CA_Y = TestPki.selfSigned(TestPki.spec().subject("CN=Tls Check CA Y, O=Certgate IT").ca().ec());
    private static final TestPki.Issued FROM_X = TestPki.issue(CA_X, TestPki.spec().subject("CN=from-x").clientAuth().ec());
    private static final TestPki.Issued FROM_Y = TestPki.issue(CA_Y, TestPki.spec().subject("CN=from-y").clientAuth().ec());
    private static final TestPki.Issued SELF_SIGNED = TestPki.selfSigned(
            TestPki.spec().subject("CN=localhost").dns("localhost").ip("127.0.0.1").serverAuth().ec());
    private static final TestPki.Issued ELSEWHERE = TestPki.issue(TestCerts.SERVER_CA,
            TestPki.spec().subject("CN=elsewhere.example").dns("elsewhere.example").serverAuth().ec());

    private static final MtlsBackend NEEDS_X = MtlsBackend.start(TestCerts.server(), CA_X.certificate());
    private static final MtlsBackend SELF = MtlsBackend.start(SELF_SIGNED, false);
    private static final MtlsBackend WRONG_NAME = MtlsBackend.start(ELSEWHERE, false);
    private static final MtlsBackend NO_CLIENT_AUTH = MtlsBackend.start(TestCerts.server(), false);
    private static final List<MtlsBackend> BACKENDS = List.of(NEEDS_X, SELF, WRONG_NAME, NO_CLIENT_AUTH);
    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(TlsCheckIT.class);
        return CertgateWar.forClass(TlsCheckIT.class);
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.forEach(MtlsBackend::close);
    }

    @BeforeEach
    void configure() {
        BACKENDS.forEach(MtlsBackend::reset);
        if (configured) {
            return;
        }
        GatewaySetup setup = new GatewaySetup(base);
        setup.authority("server-ca", TestCerts.SERVER_CA.certificate());
        setup.certificate("from-x", FROM_X);
        setup.certificate("from-y", FROM_Y);
        setup.backend("needs-x", Map.of("url", NEEDS_X.url() + "/orders", "protocol", "http",
                "credentials", Map.of("certificateIds", List.of("/certificates/from-x"))));
        setup.backend("no-client-auth", Map.of("url", NO_CLIENT_AUTH.url(), "protocol", "http",
                "credentials", Map.of("certificateIds", List.of("/certificates/from-x"))));
        configured = true;
    }

    /** Every dry run shook hands and sent no HTTP request. */
    @AfterEach
    void noBackEndReceivedARequest() {
        for (MtlsBackend backend : BACKENDS) {
            assertThat(backend.requests()).as("requests received by a back end").isEmpty();
        }
    }

    private AdminClient admin() {
        return AdminClient.admin(base);
    }

    private Reply post(String path, Object body) {
        byte[] json = body == null ? null : AdminClient.json(body).getBytes(StandardCharsets.UTF_8);
        return admin().send("POST", path, body == null ? null : "application/json", json);
    }

    private JsonNode check(String path, Object body) {
        Reply reply = post(path, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        ErrorShapes.assertNoInternals(reply.body());
        return reply.json();
    }

    @Test
    void aBackEndThatRequiresACertificateFromXNamesXAndAcceptsTheStoredCertificateFromX() {
        JsonNode answer = check("backends/needs-x/tls-check", null);

        assertThat(answer.path("verdict").path("result").asText()).as(answer.toString()).isEqualTo("ok");
        assertThat(answer.path("clientCertificateRequested").asBoolean()).isTrue();
        assertThat(texts(answer.path("acceptedIssuers"))).contains(CA_X.certificate().getSubjectX500Principal().toString());
        assertThat(texts(answer.path("matchingCertificates"))).containsExactly("from-x");
        assertThat(answer.path("presentedCertificate").path("id").asText()).isEqualTo("from-x");
        assertThat(answer.path("presentedCertificate").path("thumbprint").asText()).isEqualTo(Pem.sha1(FROM_X.certificate()));
        assertThat(answer.path("trusted").asBoolean()).isTrue();
        assertThat(answer.path("trustedBy").path("authorityId").asText()).isEqualTo("server-ca");
        assertThat(answer.path("nameMatches").asBoolean()).isTrue();
        assertThat(answer.path("protocol").asText()).startsWith("TLSv1.");
        assertThat(answer.path("cipherSuite").asText()).startsWith("TLS_");
        JsonNode leaf = answer.path("chain").path(0);
        assertThat(leaf.path("subject").asText()).isEqualTo("CN=localhost");
        assertThat(leaf.path("issuer").asText()).isEqualTo("CN=Certgate Test Server CA");
        assertThat(texts(leaf.path("dnsNames"))).containsExactly("localhost");
        assertThat(texts(leaf.path("ipAddresses"))).containsExactly("127.0.0.1");
        assertThat(leaf.path("thumbprint").asText()).matches("[0-9A-F]{40}");
        assertThat(leaf.path("thumbprintSha256").asText()).matches("[0-9A-F]{64}");
        assertThat(leaf.path("notBefore").asText()).isNotBlank();
        assertThat(leaf.path("notAfter").asText()).isNotBlank();
        assertThat(NEEDS_X.handshakes()).isPositive();
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedWithTheIssuersTheBackEndAccepts() {
        JsonNode answer = check("backends/needs-x/tls-check", Map.of("certificateId", "from-y"));

        JsonNode verdict = answer.path("verdict");
        assertThat(verdict.path("result").asText()).as(answer.toString()).isEqualTo("BackendTlsHandshakeFailed");
        assertThat(verdict.path("explanation").asText()).contains("from-y").contains("CN=Tls Check CA X");
        assertThat(verdict.path("action").asText())
                .contains("the back end does not accept certificates from \""
                        + CA_Y.certificate().getSubjectX500Principal() + "\"")
                .contains("from-x");
        assertThat(answer.path("presentedCertificate").path("id").asText()).isEqualTo("from-y");
        assertThat(texts(answer.path("matchingCertificates"))).containsExactly("from-x");
    }

    @Test
    void withoutACertificateTheVerdictSaysNoneIsConfiguredAndWhichStoredOneWouldDo() {
        JsonNode answer = check("tls-check", Map.of("url", NEEDS_X.url()));

        JsonNode verdict = answer.path("verdict");
        assertThat(verdict.path("result").asText()).as(answer.toString()).isEqualTo("BackendTlsHandshakeFailed");
        assertThat(verdict.path("explanation").asText()).contains("requires a client certificate and none is configured");
        assertThat(verdict.path("action").asText()).contains("from-x").contains("credentials.certificateIds");
        assertThat(answer.path("presentedCertificate").isNull()).as(answer.toString()).isTrue();
    }

    @Test
    void aSelfSignedBackEndIsUntrustedWhileTheChainIsValidated() {
        JsonNode answer = check("tls-check", Map.of("url", SELF.url()));

        JsonNode verdict = answer.path("verdict");
        assertThat(verdict.path("result").asText()).as(answer.toString()).isEqualTo("BackendTlsValidationFailed");
        assertThat(verdict.path("explanation").asText()).contains("self-signed").contains("CN=localhost");
        assertThat(verdict.path("action").asText())
                .contains("upload the back end's self-signed certificate \"CN=localhost\" as an authority")
                .contains("tls.validateCertificateChain to false");
        assertThat(answer.path("trusted").asBoolean()).isFalse();
        assertThat(answer.path("trustedBy").isNull()).isTrue();
        assertThat(answer.path("chain")).hasSize(1);
        assertThat(answer.path("chain").path(0).path("thumbprint").asText()).isEqualTo(Pem.sha1(SELF_SIGNED.certificate()));
    }

    @Test
    void aBackEndWhoseRootCaIsNotAnAuthorityIsToldToUploadThatRoot() {
        TestPki.Issued privateRoot = TestPki.selfSigned(TestPki.spec().subject("CN=Private Root").ca().ec());
        TestPki.Issued served = TestPki.issue(privateRoot,
                TestPki.spec().subject("CN=localhost").dns("localhost").ip("127.0.0.1").serverAuth().ec());
        try (MtlsBackend privatelyIssued = MtlsBackend.start(served, false)) {
            JsonNode answer = check("tls-check", Map.of("url", privatelyIssued.url()));

            assertThat(answer.path("chain")).as(answer.toString()).hasSize(2);
            assertThat(answer.path("verdict").path("result").asText()).isEqualTo("BackendTlsValidationFailed");
            assertThat(answer.path("verdict").path("action").asText())
                    .startsWith("upload its root CA \"CN=Private Root\" as an authority");
        }
    }

    @Test
    void aSelfSignedBackEndIsOkWithChainValidationOff() {
        JsonNode answer = check("tls-check", Map.of("url", SELF.url(),
                "tls", Map.of("validateCertificateChain", false, "validateCertificateName", true)));

        assertThat(answer.path("verdict").path("result").asText()).as(answer.toString()).isEqualTo("ok");
        assertThat(answer.path("verdict").has("explanation")).isFalse();
        assertThat(answer.path("trusted").asBoolean()).isFalse();
        assertThat(answer.path("chain")).hasSize(1);
        assertThat(answer.path("nameMatches").asBoolean()).isTrue();
    }

    @Test
    void aCertificateForAnotherHostIsANameMismatch() {
        JsonNode answer = check("tls-check", Map.of("url", WRONG_NAME.url("localhost")));

        JsonNode verdict = answer.path("verdict");
        assertThat(verdict.path("result").asText()).as(answer.toString()).isEqualTo("BackendTlsValidationFailed");
        assertThat(verdict.path("explanation").asText()).contains("does not name the host \"localhost\"")
                .contains("elsewhere.example");
        assertThat(verdict.path("action").asText()).contains("tls.validateCertificateName");
        assertThat(answer.path("nameMatches").asBoolean()).isFalse();
        assertThat(answer.path("trusted").asBoolean()).isTrue();
        assertThat(texts(answer.path("chain").path(0).path("dnsNames"))).containsExactly("elsewhere.example");
    }

    @Test
    void aBackEndThatAsksForNoCertificateIsOkAndIsPresentedNone() {
        JsonNode answer = check("backends/no-client-auth/tls-check", null);

        assertThat(answer.path("verdict").path("result").asText()).as(answer.toString()).isEqualTo("ok");
        assertThat(answer.path("clientCertificateRequested").asBoolean()).isFalse();
        assertThat(answer.path("acceptedIssuers")).isEmpty();
        assertThat(answer.path("matchingCertificates")).isEmpty();
        assertThat(answer.path("presentedCertificate").isNull()).as(answer.toString()).isTrue();
        assertThat(answer.path("trustedBy").path("authorityId").asText()).isEqualTo("server-ca");
    }

    @Test
    void refusalsNameTheFieldAndUseTheAdminErrorShape() {
        assertRefused(post("tls-check", Map.of()), 400, "ValidationError", "url");
        assertRefused(post("tls-check", Map.of("url", "http://localhost:" + SELF.port())), 400, "ValidationError", "url");
        assertRefused(post("tls-check", Map.of("url", "https://")), 400, "ValidationError", "url");
        assertRefused(post("tls-check", Map.of("url", SELF.url(), "certificateId", "nobody")), 400, "ValidationError",
                "certificateId");
        assertRefused(post("tls-check", Map.of("url", SELF.url(), "tls", Map.of("validateChain", false))), 400,
                "ValidationError", "tls.validateChain");
        assertRefused(post("backends/needs-x/tls-check", Map.of("certificateId", "nobody")), 400, "ValidationError",
                "certificateId");
        assertRefused(post("backends/nobody/tls-check", null), 404, "ResourceNotFound", "nobody");
        Reply anonymous = AdminClient.anonymous(base).send("POST", "tls-check", "application/json",
                AdminClient.json(Map.of("url", SELF.url())).getBytes(StandardCharsets.UTF_8));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(SELF.handshakes()).as("a refused check connects nowhere").isZero();
    }

    private static void assertRefused(Reply reply, int status, String code, String target) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        JsonNode error = ErrorShapes.assertArm(reply.headers().map().entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> e.getKey() + ": " + v)).toList(), reply.body());
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(texts(error.path("details"), "target")).contains(target);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.path(field).asText()));
        return texts;
    }
}
