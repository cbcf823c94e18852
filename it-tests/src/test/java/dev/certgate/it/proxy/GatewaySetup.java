package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.Pem;
import dev.certgate.it.support.Reply;
import dev.certgate.it.support.Secrets;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configures the gateway the way an operator does: through the admin API over real HTTP. Every write must
 * succeed (200 or 201), so a refused setup fails the test where it happened, not later as a puzzling 404.
 */
final class GatewaySetup {
    private final AdminClient admin;

    GatewaySetup(URL base) {
        this(AdminClient.admin(base));
    }

    GatewaySetup(AdminClient admin) {
        this.admin = admin;
    }

    AdminClient admin() {
        return admin;
    }

    /** Uploads the key and whole chain as a password-protected PFX; answers the thumbprint the gateway reports. */
    String certificate(String id, TestPki.Issued issued) {
        String password = Secrets.remember("pw-" + UUID.randomUUID());
        Reply reply = written(admin.putJson("certificates/" + id, Map.of("properties", Map.of(
                "data", Pem.base64(issued.pkcs12(password)), "password", password))));
        return reply.json().path("properties").path("thumbprint").asText();
    }

    /** Trusts {@code ca} for back-end chains. */
    void authority(String id, X509Certificate ca) {
        written(admin.putJson("authorities/" + id,
                Map.of("properties", Map.of("data", Pem.base64(Pem.certificate(ca))))));
    }

    /** The usual start of a proxy IT: the test servers' CA trusted for back ends, and {@code client} stored as "client". */
    void trustTestServersAndStoreClient(TestPki.Issued client) {
        authority("test-server-ca", TestCerts.SERVER_CA.certificate());
        certificate("client", client);
    }

    void deleteAuthority(String id) {
        Reply reply = admin.delete("authorities/" + id);
        assertThat(reply.status()).as(reply.toString()).isIn(200, 204);
    }

    void api(String id, String path, String serviceUrl) {
        written(admin.putJson("apis/" + id, Bodies.api(path, serviceUrl)));
    }

    void operation(String apiId, String operationId, String method, String urlTemplate) {
        written(admin.putJson("apis/" + apiId + "/operations/" + operationId, Bodies.operation(method, urlTemplate)));
    }

    void backend(String id, Map<String, Object> properties) {
        written(admin.putJson("backends/" + id, Map.of("properties", properties)));
    }

    /** The API's policy: these inbound statements after {@code <base />}, every other section inherited. */
    void inbound(String apiId, String statements) {
        policy(apiId, "<policies><inbound><base />" + statements + "</inbound></policies>");
    }

    /** The API's whole policy document, sent as raw XML. */
    void policy(String apiId, String xml) {
        written(admin.put("apis/" + apiId + "/policies/policy", "application/xml",
                xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** An API at {@code path} that presents the certificate stored under {@code certificateId}. */
    void apiPresenting(String id, String path, String serviceUrl, String certificateId) {
        api(id, path, serviceUrl);
        inbound(id, "<authentication-certificate certificate-id=\"" + certificateId + "\" />");
    }

    private static Reply written(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
        return reply;
    }
}
