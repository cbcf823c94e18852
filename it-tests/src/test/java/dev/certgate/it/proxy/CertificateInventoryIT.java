package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Poll;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, certificate inventory and expiry: {@code /admin/status} warns of certificates and authorities that expire
 * within 30 days or have expired, each certificate with what uses it, and {@code GET /admin/certificates/{id}} shows
 * its users and what it did since start.
 */
@ExtendWith(ArquillianExtension.class)
class CertificateInventoryIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(CertificateInventoryIT.class);
        return CertgateWar.forClass(CertificateInventoryIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    private GatewaySetup setup() {
        return new GatewaySetup(base);
    }

    @Test
    void statusWarnsOfWhatExpiresWithinThirtyDaysOrHasExpiredEachCertificateWithItsUsers() {
        Instant now = Instant.now();
        setup().certificate("expiring", client("expiring", now.plus(Duration.ofDays(5).plusHours(1))));
        setup().certificate("expired", client("expired", now.minus(Duration.ofDays(2))));
        setup().certificate("lasting", client("lasting", now.plus(Duration.ofDays(90))));
        setup().authority("expiring-ca", TestPki.selfSigned(TestPki.spec().subject("CN=Expiring CA").ca().ec()
                .validity(now.minus(Duration.ofDays(300)), now.plus(Duration.ofDays(10).plusHours(1)))).certificate());
        setup().apiPresenting("expiring-api", "expiring-api", "https://expiring.invalid", "expiring");
        setup().backend("expiring-backend", Map.of("url", "https://expiring-backend.invalid", "protocol", "http",
                "credentials", Map.of("certificateIds", List.of("/certificates/expiring"))));

        JsonNode warnings = status().path("warnings");

        JsonNode expiring = only(warnings, "certificateId", "expiring");
        assertThat(expiring.path("code").asText()).isEqualTo("CertificateExpiresSoon");
        assertThat(expiring.path("daysToExpiry").asLong()).isEqualTo(5);
        assertThat(Instant.parse(expiring.path("notAfter").asText()))
                .isBetween(now.plus(Duration.ofDays(5)), now.plus(Duration.ofDays(6)));
        assertThat(expiring.path("file").asText()).isEqualTo("config/certificates/expiring/certificateInformation.json");
        assertThat(expiring.has("line") && expiring.has("column")).as("the shape of every warning").isTrue();
        assertThat(expiring.path("message").asText()).contains("expiring", "in 5 days");
        JsonNode users = expiring.path("users");
        assertThat(texts(users.path("policies"))).containsExactly("/apis/expiring-api/policies/policy");
        assertThat(texts(users.path("backends"))).containsExactly("/backends/expiring-backend");
        assertThat(texts(users.path("apis"))).containsExactly("/apis/expiring-api");
        assertThat(texts(users.path("operations"))).isEmpty();

        JsonNode expired = only(warnings, "certificateId", "expired");
        assertThat(expired.path("code").asText()).isEqualTo("CertificateExpired");
        assertThat(expired.path("daysToExpiry").asLong()).isNegative();
        assertThat(expired.path("message").asText()).contains("expired on");

        JsonNode authority = only(warnings, "authorityId", "expiring-ca");
        assertThat(authority.path("code").asText()).isEqualTo("AuthorityExpiresSoon");
        assertThat(authority.path("daysToExpiry").asLong()).isEqualTo(10);
        assertThat(authority.path("file").asText()).isEqualTo("config/authorities/expiring-ca/authority.pem");

        assertThat(matching(warnings, "certificateId", "lasting")).as("90 days away is not soon").isEmpty();
    }

    @Test
    void aCertificatesUsageNamesWhatUsesItAndHasNoActivityBeforeAnyCall() {
        setup().certificate("inventoried", TestCerts.client("inventoried"));
        setup().api("inventoried-api", "inventoried-api", "https://inventoried.invalid");
        setup().operation("inventoried-api", "get-one", "GET", "/one");
        setup().operation("inventoried-api", "get-two", "GET", "/two");
        setup().backend("inventoried-backend", Map.of("url", "https://inventoried-backend.invalid", "protocol",
                "http", "credentials", Map.of("certificateIds", List.of("/certificates/inventoried"))));
        // Only get-one routes to the backend whose credentials present the certificate.
        Reply policy = setup().admin().put("apis/inventoried-api/operations/get-one/policies/policy",
                "application/xml", ("<policies><inbound><base /><set-backend-service backend-id=\"inventoried-backend\""
                        + " /></inbound></policies>").getBytes(StandardCharsets.UTF_8));
        assertThat(policy.status()).as(policy.toString()).isEqualTo(201);

        Reply reply = setup().admin().get("certificates/inventoried");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode usage = reply.json().path("properties").path("usage");

        assertThat(texts(usage.path("users").path("backends"))).containsExactly("/backends/inventoried-backend");
        assertThat(texts(usage.path("users").path("apis"))).containsExactly("/apis/inventoried-api");
        assertThat(texts(usage.path("users").path("operations")))
                .containsExactly("/apis/inventoried-api/operations/get-one");
        assertThat(texts(usage.path("users").path("policies"))).isEmpty();
        assertThat(usage.get("lastUsed").isNull()).isTrue();
        assertThat(usage.path("requests").asLong()).isZero();
        assertThat(usage.path("handshakes").asLong()).isZero();
        assertThat(usage.path("failures").isObject() && usage.path("failures").isEmpty()).isTrue();
        assertThat(usage.get("lastFailure").isNull()).isTrue();

        Reply list = setup().admin().get("certificates");
        JsonNode listed = only(list.json().path("value"), "name", "inventoried");
        assertThat(listed.path("properties").path("usage")).isEqualTo(usage);
    }

    /** Enable once the proxy reports each request (RequestObserver) and handshake to CertgateRuntime#certificateActivity. */
    @Test
    void aProxiedCallThroughAnMtlsBackEndCountsAsARequestAndSetsLastUsed() {
        setup().authority("inventory-server-ca", TestCerts.SERVER_CA.certificate());
        setup().certificate("called", TestCerts.client("called"));
        setup().apiPresenting("called-api", "called-api", BACKEND.url() + "/called", "called");
        Instant before = Instant.now().minusSeconds(1);

        assertThat(new Caller(base).get("called-api/hello").statusCode()).isEqualTo(200);

        // The request is counted as its answer ends, which a caller with the whole body may not wait for.
        JsonNode usage = Poll.until(Duration.ofSeconds(5),
                () -> setup().admin().get("certificates/called").json().path("properties").path("usage"),
                read -> read.path("requests").asLong() > 0);
        assertThat(usage.path("requests").asLong()).isEqualTo(1);
        assertThat(Instant.parse(usage.path("lastUsed").asText())).isBetween(before, Instant.now());
        assertThat(usage.path("handshakes").asLong()).as("one pooled connection").isEqualTo(1);
        assertThat(usage.path("failures").isEmpty()).isTrue();
        assertThat(usage.get("lastFailure").isNull()).isTrue();
    }

    /** A client certificate from the test client CA valid until {@code notAfter}. */
    private static TestPki.Issued client(String commonName, Instant notAfter) {
        return TestPki.issue(TestCerts.CLIENT_CA, TestPki.spec().subject("CN=" + commonName).clientAuth().ec()
                .validity(notAfter.minus(Duration.ofDays(365)), notAfter));
    }

    private JsonNode status() {
        Reply reply = setup().admin().get("status");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static JsonNode only(JsonNode array, String field, String value) {
        List<JsonNode> found = matching(array, field, value);
        assertThat(found).as(field + " " + value + " in " + array).hasSize(1);
        return found.get(0);
    }

    private static List<JsonNode> matching(JsonNode array, String field, String value) {
        return StreamSupport.stream(array.spliterator(), false)
                .filter(node -> value.equals(node.path(field).asText(null)))
                .toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
