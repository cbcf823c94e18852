package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Pem;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.TestPki;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 3 over real HTTP: /admin/authorities, the CA certificates trusted for back ends. */
@ExtendWith(ArquillianExtension.class)
class AuthoritiesIT {
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(AuthoritiesIT.class);
        return CertgateWar.forClass(AuthoritiesIT.class);
    }

    private AdminClient admin() {
        return AdminClient.admin(base);
    }

    private static Map<String, Object> upload(String base64) {
        return Map.of("properties", Map.of("data", base64));
    }

    @Test
    void uploadsPemAndDerListsReadsAndDeletes() throws Exception {
        TestPki.Issued pemCa = TestPki.ca("CN=Private Root PEM");
        TestPki.Issued derCa = TestPki.ca("CN=Private Root DER");

        Reply pem = admin().putJson("authorities/pem-ca", upload(Pem.base64(Pem.certificate(pemCa.certificate()))));
        Reply der = admin().putJson("authorities/der-ca", upload(Pem.base64(derCa.certificate().getEncoded())));

        assertThat(pem.status()).as(pem.toString()).isEqualTo(201);
        assertThat(der.status()).as(der.toString()).isEqualTo(201);
        assertThat(pem.header("Warning")).as("a CA's upload has nothing to warn of").isEmpty();
        JsonNode properties = pem.json().path("properties");
        assertThat(pem.json().path("id").asText()).isEqualTo("/authorities/pem-ca");
        assertThat(properties.path("subject").asText()).contains("CN=Private Root PEM");
        assertThat(properties.path("thumbprint").asText()).isEqualTo(Pem.sha1(pemCa.certificate()));
        assertThat(properties.path("expirationDate").asText()).isNotBlank();
        assertThat(properties.path("daysToExpiry").asLong()).isBetween(360L, 366L);
        assertThat(der.json().path("properties").path("thumbprint").asText()).isEqualTo(Pem.sha1(derCa.certificate()));
        assertThat(home.resolve("config/authorities/pem-ca/authority.pem")).exists();

        Reply read = admin().get("authorities/der-ca");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.etag()).isEqualTo(der.etag());
        JsonNode list = admin().get("authorities").json();
        assertThat(list.path("count").asInt()).isEqualTo(list.path("value").size());
        assertThat(list.path("value").findValuesAsText("name")).contains("pem-ca", "der-ca");

        Reply replaced = admin().putJson("authorities/der-ca", upload(Pem.base64(Pem.certificate(pemCa.certificate()))));
        assertThat(replaced.status()).isEqualTo(200);

        assertThat(admin().delete("authorities/pem-ca").status()).isEqualTo(200);
        assertThat(admin().get("authorities/pem-ca").status()).isEqualTo(404);
        assertThat(admin().delete("authorities/pem-ca").status()).isEqualTo(404);
        assertThat(home.resolve("config/authorities/pem-ca")).doesNotExist();
    }

    @Test
    void aCertificateThatIsNotACaIsAcceptedAsAPinWithAWarning() {
        TestPki.Issued selfSigned = TestPki.selfSigned(TestPki.spec().subject("CN=pinned.example").ec());

        Reply reply = admin().putJson("authorities/pinned", upload(Pem.base64(Pem.certificate(selfSigned.certificate()))));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.header("Warning")).as(reply.toString()).hasValueSatisfying(warning -> assertThat(warning)
                .startsWith("299 - \"").contains("CN=pinned.example").contains("not a CA certificate")
                .contains("renewed"));
        assertThat(admin().delete("authorities/pinned").status()).isEqualTo(200);
    }

    @Test
    void refusesPrivateKeysAndNonsenseWith400() {
        TestPki.Issued ca = TestPki.ca("CN=With Key");

        Reply withKey = admin().putJson("authorities/with-key", upload(Pem.base64(ca.pem())));
        Reply nonsense = admin().putJson("authorities/with-key", upload(Pem.base64("not a certificate")));
        Reply empty = admin().putJson("authorities/with-key", Map.of("properties", Map.of()));

        for (Reply refused : new Reply[] {withKey, nonsense, empty}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("ValidationError");
            assertThat(refused.body()).doesNotContain("PRIVATE KEY");
        }
        assertThat(home.resolve("config/authorities/with-key")).doesNotExist();
    }

    @Test
    void anUnknownPropertyIs400NamingItAndWritesNothing() {
        TestPki.Issued ca = TestPki.ca("CN=Typo CA");
        Map<String, Object> properties = Map.of("data", Pem.base64(Pem.certificate(ca.certificate())), "bogus", 1);

        Reply refused = admin().putJson("authorities/typo", Map.of("properties", properties));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("ValidationError");
        assertThat(refused.json().path("error").path("message").asText()).isEqualTo("Unknown property 'bogus' in"
                + " authorities/typo: neither Certgate nor APIM defines it for an authority; Certgate reads data");
        assertThat(refused.json().path("error").path("details").get(0).path("target").asText())
                .isEqualTo("properties.bogus");
        assertThat(home.resolve("config/authorities/typo")).doesNotExist();
    }

    @Test
    void honoursIfMatchAndRequiresCredentials() {
        TestPki.Issued ca = TestPki.ca("CN=Guarded Root");
        String etag = admin().putJson("authorities/guarded", upload(Pem.base64(Pem.certificate(ca.certificate()))))
                .etag();

        assertThat(admin().delete("authorities/guarded", "If-Match", "\"stale\"").status()).isEqualTo(412);
        assertThat(AdminClient.anonymous(base).delete("authorities/guarded").status()).isEqualTo(401);
        assertThat(AdminClient.anonymous(base).get("authorities").status()).isEqualTo(401);
        assertThat(admin().delete("authorities/guarded", "If-Match", etag).status()).isEqualTo(200);
    }
}
