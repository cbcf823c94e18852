package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Gateway;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Pem;
import dev.certgate.it.support.Reply;
import dev.certgate.it.support.Secrets;
import dev.certgate.it.support.ServerLog;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestPki;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5, the seed's flow end to end through the admin API only: a certificate, a backend that skips chain
 * validation for a self-signed back end requiring client certificates, an API whose policy presents the
 * certificate; a call through the gateway; the certificate protected while used, deletable once not.
 */
@ExtendWith(ArquillianExtension.class)
class SeedFlowIT {
    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(SeedFlowIT.class);
        return CertgateWar.forClass(SeedFlowIT.class);
    }

    @Test
    void uploadCreateCallProtectAndDelete() {
        AdminClient admin = AdminClient.admin(base);
        TestPki.Issued clientCa = TestPki.ca("CN=Seed Client CA");
        TestPki.Issued client = TestPki.client(clientCa, "seed-client");
        TestPki.Issued serverCertificate = TestPki.selfSigned(TestPki.spec().subject("CN=localhost")
                .dns("localhost").ip("127.0.0.1").serverAuth());
        String password = Secrets.remember("seed-" + UUID.randomUUID());

        try (MtlsBackend backend = MtlsBackend.start(serverCertificate, clientCa.certificate())) {
            Reply certificate = admin.putJson("certificates/seed-client", Map.of("properties",
                    Map.of("data", Pem.base64(client.pkcs12(password)), "password", password)));
            assertThat(certificate.status()).as(certificate.toString()).isEqualTo(201);
            Reply backendEntity = admin.putJson("backends/seed-backend", Map.of("properties", Map.of(
                    "url", backend.url(), "protocol", "http", "tls", Map.of("validateCertificateChain", false))));
            assertThat(backendEntity.status()).as(backendEntity.toString()).isEqualTo(201);
            assertThat(admin.putJson("apis/seed", Bodies.api("seed", backend.url())).status()).isEqualTo(201);
            Reply policy = admin.putJson("apis/seed/policies/policy", Bodies.policy(HomeFiles.inboundPolicy(
                    "<set-backend-service backend-id=\"seed-backend\" />\n"
                            + "    <authentication-certificate certificate-id=\"seed-client\" />")));
            assertThat(policy.status()).as(policy.toString()).isEqualTo(201);

            Reply called = Gateway.get(base, "seed/hello?x=1");

            assertThat(called.status()).as(called.toString()).isEqualTo(200);
            assertThat(backend.lastRequest().path()).endsWith("/hello");
            assertThat(backend.lastRequest().clientThumbprint()).isEqualTo(Pem.sha1(client.certificate()));
            JsonNode pool = pool(admin, "seed-client");
            assertThat(pool.path("thumbprint").asText()).isEqualTo(Pem.sha1(client.certificate()));
            assertThat(pool.path("handshakes").asLong()).isPositive();

            Reply refused = admin.delete("certificates/seed-client");
            assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
            assertThat(refused.json().path("error").path("details").toString()).contains("seed");

            Reply withoutCertificate = admin.putJson("apis/seed/policies/policy", Bodies.policy(
                    HomeFiles.inboundPolicy("<set-backend-service backend-id=\"seed-backend\" />")));
            assertThat(withoutCertificate.status()).as(withoutCertificate.toString()).isEqualTo(200);
            Reply deleted = admin.delete("certificates/seed-client");
            assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
            assertThat(admin.get("certificates/seed-client").status()).isEqualTo(404);
            assertThat(Gateway.get(base, "seed/hello").status()).as("the back end requires a client certificate")
                    .isNotEqualTo(200);
        }
        ServerLog.assertNoSecrets();
    }

    private static JsonNode pool(AdminClient admin, String certificateId) {
        for (JsonNode pool : admin.get("status").json().path("pools")) {
            if (certificateId.equals(pool.path("certificateId").asText())) {
                return pool;
            }
        }
        throw new AssertionError("no pool for " + certificateId + " in " + admin.get("status"));
    }
}
