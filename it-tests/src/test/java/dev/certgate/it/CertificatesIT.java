package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Pem;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
import dev.certgate.it.support.Secrets;
import dev.certgate.it.support.ServerLog;
import dev.certgate.it.support.TestRealm;
import dev.certgate.testsupport.RawHttp;
import dev.certgate.testsupport.TestKeyFiles;
import dev.certgate.testsupport.TestPki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Issue 3 over real HTTP: /admin/certificates with the real WAR in embedded Jetty 12. */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertificatesIT {
    private static final TestPki.Issued CA = TestPki.ca("CN=Certgate IT CA");
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(CertificatesIT.class);
        return CertgateWar.forClass(CertificatesIT.class);
    }

    private AdminClient admin() {
        return AdminClient.admin(base);
    }

    private static String password() {
        return Secrets.remember("pw-" + UUID.randomUUID());
    }

    private static Map<String, Object> jsonUpload(byte[] file, String password) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("data", Pem.base64(file));
        if (password != null) {
            properties.put("password", password);
        }
        return Map.of("properties", properties);
    }

    private Reply uploadPfx(String id, TestPki.Issued issued, String... headers) {
        String password = password();
        return admin().putJson("certificates/" + id, jsonUpload(issued.pkcs12(password), password), headers);
    }

    /** No key, no given secret, and (for an entity) no password or file data among its properties. */
    private static void assertNoSecretIn(Reply reply, String... secrets) {
        assertThat(reply.body()).doesNotContain("PRIVATE KEY");
        for (String secret : secrets) {
            assertThat(reply.body()).doesNotContain(secret);
        }
        for (JsonNode entity : reply.json().has("value") ? reply.json().path("value") : List.of(reply.json())) {
            assertThat(entity.path("properties").has("password")).isFalse();
            assertThat(entity.path("properties").has("data")).isFalse();
        }
    }

    @Test
    void uploadsPfxAsJsonAndShowsItsMetadata() {
        TestPki.Issued client = TestPki.client(CA, "it-pfx");
        String password = password();

        Reply created = admin().putJson("certificates/pfx1", jsonUpload(client.pkcs12(password), password));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertNoSecretIn(created, password);
        JsonNode body = created.json();
        assertThat(body.path("id").asText()).isEqualTo("/certificates/pfx1");
        assertThat(body.path("name").asText()).isEqualTo("pfx1");
        JsonNode properties = body.path("properties");
        assertThat(properties.path("subject").asText()).contains("CN=it-pfx");
        assertThat(properties.path("issuer").asText()).contains("CN=Certgate IT CA");
        assertThat(properties.path("thumbprint").asText()).isEqualTo(Pem.sha1(client.certificate()));
        assertThat(Instant.parse(properties.path("expirationDate").asText()))
                .isCloseTo(client.certificate().getNotAfter().toInstant(), within(1, ChronoUnit.SECONDS));
        assertThat(properties.path("daysToExpiry").asLong()).isBetween(360L, 366L);
        String etag = created.etag();

        Reply read = admin().get("certificates/pfx1");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.etag()).isEqualTo(etag);
        assertThat(read.json().path("properties").path("thumbprint").asText())
                .isEqualTo(Pem.sha1(client.certificate()));
        assertThat(read.json().path("properties").path("daysToExpiry").asLong()).isBetween(360L, 366L);
        assertNoSecretIn(read, password);

        Reply list = admin().get("certificates");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("count").asInt()).isEqualTo(list.json().path("value").size());
        JsonNode listed = find(list.json(), "pfx1");
        assertThat(listed.path("id").asText()).isEqualTo("/certificates/pfx1");
        for (String field : new String[] {"subject", "issuer", "thumbprint", "expirationDate", "daysToExpiry"}) {
            assertThat(listed.path("properties").has(field)).as(field).isTrue();
        }
        assertNoSecretIn(list, password);
    }

    @Test
    void replacingUnderTheSameIdAnswers200WithTheNewCertificate() {
        assertThat(uploadPfx("rotate", TestPki.client(CA, "first")).status()).isEqualTo(201);
        TestPki.Issued second = TestPki.client(CA, "second");

        Reply replaced = uploadPfx("rotate", second);

        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().path("properties").path("thumbprint").asText())
                .isEqualTo(Pem.sha1(second.certificate()));
        assertThat(admin().get("certificates/rotate").json().path("properties").path("thumbprint").asText())
                .isEqualTo(Pem.sha1(second.certificate()));
    }

    @Test
    void anIdThatDiffersFromAnExistingOneOnlyInCaseIsRefusedWithNothingWritten() {
        TestPki.Issued first = TestPki.client(CA, "case-first");
        assertThat(uploadPfx("case-twin", first).status()).isEqualTo(201);

        Reply twin = uploadPfx("Case-Twin", TestPki.client(CA, "case-second"));

        assertThat(twin.status()).as(twin.toString()).isEqualTo(409);
        assertThat(twin.json().path("error").path("message").asText())
                .startsWith("config/certificates/Case-Twin would differ from the existing"
                        + " config/certificates/case-twin only in case");
        assertThat(home.resolve("config/certificates/Case-Twin")).doesNotExist();
        assertThat(home.resolve("secrets/certificates/Case-Twin.p12")).doesNotExist();
        assertThat(admin().get("certificates/case-twin").json().path("properties").path("thumbprint").asText())
                .isEqualTo(Pem.sha1(first.certificate()));
    }

    @Test
    void anIdThatWindowsWouldChangeOrReserveIsRefusedWithNothingWritten() {
        TestPki.Issued first = TestPki.client(CA, "dot-first");
        assertThat(uploadPfx("dotted", first).status()).isEqualTo(201);

        Reply dotted = uploadPfx("dotted.", TestPki.client(CA, "dot-second"));
        Reply device = uploadPfx("nul", TestPki.client(CA, "device"));

        assertThat(dotted.status()).as(dotted.toString()).isEqualTo(400);
        assertThat(dotted.json().path("error").path("message").asText())
                .startsWith("config/certificates/dotted. cannot be created: Windows drops a final '.' from a name, so"
                        + " there it would be config/certificates/dotted");
        assertThat(dotted.json().path("error").path("details").path(0).path("code").asText())
                .isEqualTo("NameNotPortable");
        assertThat(device.status()).as(device.toString()).isEqualTo(400);
        assertThat(device.json().path("error").path("message").asText())
                .startsWith("config/certificates/nul cannot be created: \"nul\" is a device name on Windows");
        assertThat(home.resolve("config/certificates/dotted.")).doesNotExist();
        assertThat(home.resolve("secrets/certificates/dotted..p12")).doesNotExist();
        assertThat(home.resolve("config/certificates/nul")).doesNotExist();
        assertThat(home.resolve("secrets/certificates/nul.p12")).doesNotExist();
        assertThat(admin().get("certificates/dotted").json().path("properties").path("thumbprint").asText())
                .isEqualTo(Pem.sha1(first.certificate()));
    }

    @Test
    void aMultipartUploadWithARepeatedOrUnknownFieldIsRefusedNamingItAndNothingIsStored() {
        TestPki.Issued client = TestPki.client(CA, "it-form");
        String password = password();
        byte[] pfx = client.pkcs12(password);

        Reply twice = admin().putMultipart("certificates/form-twice", List.of(Map.entry("file", pfx),
                Map.entry("file", TestPki.client(CA, "it-form-other").pkcs12(password)), Map.entry("password", password)));
        Reply misspelt = admin().putMultipart("certificates/form-misspelt", List.of(Map.entry("file", pfx),
                Map.entry("pasword", password)));

        assertThat(twice.status()).as(twice.toString()).isEqualTo(400);
        assertThat(twice.json().path("error").path("message").asText()).contains("Form field 'file' is given 2 times");
        assertThat(misspelt.status()).as(misspelt.toString()).isEqualTo(400);
        assertThat(misspelt.json().path("error").path("message").asText())
                .contains("'pasword'").contains("did you mean 'password'?");
        assertNoSecretIn(twice, password);
        assertNoSecretIn(misspelt, password);
        assertThat(home.resolve("secrets/certificates/form-twice.p12")).doesNotExist();
        assertThat(home.resolve("secrets/certificates/form-misspelt.p12")).doesNotExist();
    }

    @Test
    void aMultipartBodyThatCannotBeReadIsRefusedSayingWhatAMultipartUploadNeeds() {
        Reply noBoundary = admin().send("PUT", "certificates/form-broken", "multipart/form-data",
                "file=whatever".getBytes(StandardCharsets.US_ASCII));

        assertThat(noBoundary.status()).as(noBoundary.toString()).isEqualTo(400);
        assertThat(noBoundary.json().path("error").path("message").asText())
                .startsWith("The multipart/form-data body cannot be read: its Content-Type must name the boundary");
        assertThat(noBoundary.json().path("error").path("details").path(0).path("code").asText())
                .isEqualTo("InvalidMultipart");
    }

    @Test
    void uploadsPemAndPfxAsMultipart() {
        TestPki.Issued pemClient = TestPki.client(CA, "it-pem");
        Reply pem = admin().putMultipart("certificates/pem1",
                Map.of("file", pemClient.pem().getBytes(StandardCharsets.US_ASCII)));
        assertThat(pem.status()).as(pem.toString()).isEqualTo(201);
        assertThat(pem.json().path("properties").path("thumbprint").asText())
                .isEqualTo(Pem.sha1(pemClient.certificate()));
        assertNoSecretIn(pem);

        TestPki.Issued pfxClient = TestPki.client(CA, "it-multipart-pfx");
        String password = password();
        Reply pfx = admin().putMultipart("certificates/pfx-multipart",
                Map.of("file", pfxClient.pkcs12(password), "password", password));
        assertThat(pfx.status()).as(pfx.toString()).isEqualTo(201);
        assertThat(pfx.json().path("properties").path("thumbprint").asText())
                .isEqualTo(Pem.sha1(pfxClient.certificate()));
        assertNoSecretIn(pfx, password);
    }

    @Test
    void refusesWrongPasswordMissingKeyAndNonsenseWith400AndStoresNothing() {
        TestPki.Issued client = TestPki.client(CA, "refused");
        String password = password();
        String wrong = password();

        Reply wrongPassword = admin().putJson("certificates/refused",
                jsonUpload(client.pkcs12(password), wrong));
        Reply noKey = admin().putJson("certificates/refused",
                jsonUpload(Pem.certificate(client.certificate()).getBytes(StandardCharsets.US_ASCII), null));
        Reply nonsense = admin().putJson("certificates/refused",
                jsonUpload("this is not a certificate".getBytes(StandardCharsets.US_ASCII), null));
        Reply notBase64 = admin().putJson("certificates/refused",
                Map.of("properties", Map.of("data", "***not base64***")));
        Reply noProperties = admin().putJson("certificates/refused", Map.of("data", "AAAA"));

        for (Reply refused : new Reply[] {wrongPassword, noKey, nonsense, notBase64, noProperties}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("ValidationError");
            assertThat(refused.json().path("error").path("message").asText()).isNotBlank();
            assertNoSecretIn(refused, password, wrong);
        }
        assertThat(admin().get("certificates/refused").status()).isEqualTo(404);
        assertThat(home.resolve("config/certificates/refused")).doesNotExist();
        assertThat(home.resolve("secrets/certificates/refused.p12")).doesNotExist();
    }

    @Test
    void aPfxUploadedWithoutPasswordIs400SayingAPasswordIsRequired() {
        TestPki.Issued client = TestPki.client(CA, "no-password");
        String password = password();
        byte[] pfx = client.pkcs12(password);

        Reply json = admin().putJson("certificates/no-password", jsonUpload(pfx, null));
        Reply multipart = admin().putMultipart("certificates/no-password", Map.of("file", pfx));

        for (Reply refused : new Reply[] {json, multipart}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.json().path("error").path("message").asText())
                    .isEqualTo("The file is password-protected: give its password in 'password'");
            assertThat(refused.json().path("error").path("details").get(0).path("code").asText())
                    .isEqualTo("PasswordRequired");
            assertNoSecretIn(refused, password);
        }
        assertThat(admin().get("certificates/no-password").status()).isEqualTo(404);
    }

    @Test
    void aMisspeltPropertyIs400NamingItAndTheKnownNameButNeverItsValue() {
        TestPki.Issued client = TestPki.client(CA, "typo");
        String password = password();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("data", Pem.base64(client.pkcs12(password)));
        properties.put("passwrd", password);
        Map<String, Object> apims = new LinkedHashMap<>(properties);
        apims.remove("passwrd");
        apims.put("password", password);
        apims.put("keyVault", null);
        apims.put("thumbprint", "from an earlier GET");

        Reply typo = admin().putJson("certificates/typo", Map.of("properties", properties));
        Reply apimsOwn = admin().putJson("certificates/apims-own", Map.of("properties", apims));

        assertThat(typo.status()).as(typo.toString()).isEqualTo(400);
        assertThat(typo.errorCode()).isEqualTo("ValidationError");
        assertThat(typo.json().path("error").path("message").asText())
                .isEqualTo("Unknown property 'passwrd' in certificates/typo: did you mean 'password'?");
        assertThat(typo.json().path("error").path("details").get(0).path("target").asText())
                .isEqualTo("properties.passwrd");
        assertNoSecretIn(typo, password);
        assertThat(admin().get("certificates/typo").status()).isEqualTo(404);
        assertThat(apimsOwn.status()).as(apimsOwn.toString()).isEqualTo(201);
    }

    @Test
    void aKeyWhoseScryptWouldExhaustMemoryIs400NamingTheParameterBeforeAnyDerivation() {
        TestPki.Issued client = TestPki.client(CA, "scrypt");
        String password = password();
        byte[] pem = (Pem.certificate(client.certificate()) + TestKeyFiles.scryptPkcs8Claiming(1 << 20, 8, 1))
                .getBytes(StandardCharsets.US_ASCII);

        long started = System.nanoTime();
        Reply refused = admin().putJson("certificates/scrypt", jsonUpload(pem, password));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("ValidationError");
        assertThat(refused.json().path("error").path("message").asText())
                .contains("scrypt N=1048576 r=8").contains("1 GiB").contains("at most 64 MiB");
        assertNoSecretIn(refused, password);
        assertThat(admin().get("certificates/scrypt").status()).isEqualTo(404);
    }

    @Test
    void malformedJsonIs400WithItsLocationAndNoStackTrace() {
        Reply reply = admin().put("certificates/broken", "application/json",
                "{\"properties\": {\"data\": }".getBytes(StandardCharsets.UTF_8));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("ValidationError");
        assertThat(reply.json().path("error").path("message").asText()).contains("line 1").contains("column");
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void acceptsAnExpiredCertificateWithAWarningAndNegativeDaysToExpiry() {
        TestPki.Issued expired = TestPki.selfSigned(TestPki.spec().subject("CN=expired").clientAuth()
                .validity(Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(35))));

        Reply reply = uploadPfx("expired", expired);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().path("properties").path("warnings").size()).isPositive();
        assertThat(reply.json().path("properties").path("daysToExpiry").asLong()).isLessThan(0);
    }

    @Test
    void refusesBodiesOverOneMebibyteWith413() throws Exception {
        long overLimit = 1024 * 1024 + 1;
        RawHttp.Response json = admin().announcePut("certificates/big", "application/json", overLimit);
        RawHttp.Response multipart = admin().announcePut("certificates/big",
                "multipart/form-data; boundary=x", overLimit);
        // Base64 makes 800 KiB just over the limit: refused while it is read, with little left unread.
        Reply chunked = putChunked("certificates/big", new byte[800 * 1024]);

        for (RawHttp.Response refused : List.of(json, multipart)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(413);
            assertThat(refused.body()).contains("PayloadTooLarge");
        }
        assertThat(chunked.status()).as(chunked.toString()).isEqualTo(413);
        assertThat(chunked.errorCode()).isEqualTo("PayloadTooLarge");
        assertThat(admin().get("certificates/big").status()).isEqualTo(404);
    }

    /** A JSON body of unknown length (chunked): refused while it is read, not after. */
    private Reply putChunked(String path, byte[] payload) throws Exception {
        byte[] body = AdminClient.json(jsonUpload(payload, "x")).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(admin().uri(path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (TestRealm.USER + ":" + TestRealm.password()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    @Test
    void honoursIfMatchOnPutAndDelete() {
        String etag = uploadPfx("guarded", TestPki.client(CA, "guarded-1")).etag();

        Reply stalePut = uploadPfx("guarded", TestPki.client(CA, "guarded-2"), "If-Match", "\"stale\"");
        Reply staleDelete = admin().delete("certificates/guarded", "If-Match", "\"stale\"");
        assertThat(stalePut.status()).as(stalePut.toString()).isEqualTo(412);
        assertThat(stalePut.errorCode()).isEqualTo("PreconditionFailed");
        assertThat(staleDelete.status()).as(staleDelete.toString()).isEqualTo(412);
        assertThat(admin().get("certificates/guarded").json().path("properties").path("subject").asText())
                .contains("guarded-1");

        Reply matching = uploadPfx("guarded", TestPki.client(CA, "guarded-3"), "If-Match", etag);
        assertThat(matching.status()).as(matching.toString()).isEqualTo(200);
        assertThat(matching.etag()).isNotEqualTo(etag);
        assertThat(admin().delete("certificates/guarded", "If-Match", matching.etag()).status()).isEqualTo(200);
        assertThat(admin().get("certificates/guarded").status()).isEqualTo(404);
    }

    /** {@code If-None-Match: *} creates a certificate but never replaces one, JSON or multipart alike. */
    @Test
    void ifNoneMatchStarUploadsOnlyWhereNothingIsStored() {
        Reply created = uploadPfx("create-only", TestPki.client(CA, "create-only-1"), "If-None-Match", "*");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        Reply json = uploadPfx("create-only", TestPki.client(CA, "create-only-2"), "If-None-Match", "*");
        String password = password();
        Reply multipart = admin().putMultipart("certificates/create-only",
                Map.of("file", TestPki.client(CA, "create-only-3").pkcs12(password), "password", password),
                "If-None-Match", "*");

        for (Reply refused : List.of(json, multipart)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(412);
            assertThat(refused.errorCode()).isEqualTo("PreconditionFailed");
            assertThat(refused.json().path("error").path("message").asText())
                    .contains("If-None-Match: *", created.etag());
        }
        assertThat(admin().get("certificates/create-only").json().path("properties").path("subject").asText())
                .contains("create-only-1");
        assertThat(admin().get("certificates/create-only").etag()).isEqualTo(created.etag());
    }

    @Test
    void deletingACertificateInUseIs409NamingEachUser() {
        assertThat(uploadPfx("in-use", TestPki.client(CA, "in-use")).status()).isEqualTo(201);
        Reply backend = admin().putJson("backends/uses-cert", Map.of("properties", Map.of(
                "url", "https://127.0.0.1:9/", "protocol", "http",
                "credentials", Map.of("certificateIds", new String[] {"/certificates/in-use"}))));
        assertThat(backend.status()).as(backend.toString()).isEqualTo(201);
        HomeFiles.write(home, "config/apis/cert-user/apiInformation.json",
                HomeFiles.apiInformation("Certificate user", "cert-user", "https://127.0.0.1:9/"));
        HomeFiles.write(home, "config/apis/cert-user/policy.xml",
                HomeFiles.inboundPolicy("<authentication-certificate certificate-id=\"in-use\" />"));
        Poll.until(Duration.ofSeconds(20), () -> admin().get("apis/cert-user").status(), status -> status == 200);

        Reply refused = admin().delete("certificates/in-use");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("Conflict");
        JsonNode details = refused.json().path("error").path("details");
        assertThat(details.size()).isEqualTo(2);
        assertThat(details.toString()).contains("uses-cert").contains("cert-user");
        assertThat(admin().get("certificates/in-use").status()).isEqualTo(200);

        assertThat(admin().delete("backends/uses-cert").status()).isEqualTo(200);
        assertThat(admin().delete("apis/cert-user/policies/policy").status()).isEqualTo(200);
        Reply deleted = admin().delete("certificates/in-use");
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(admin().get("certificates/in-use").status()).isEqualTo(404);
        assertThat(admin().delete("certificates/in-use").status()).isEqualTo(404);
    }

    @Test
    void deletingADuplicateIsAllowedWhileAnotherIdHoldsTheThumbprintAPolicyNames() {
        TestPki.Issued client = TestPki.client(CA, "duplicate");
        String thumbprint = Pem.sha1(client.certificate());
        assertThat(uploadPfx("dup-a", client).status()).isEqualTo(201);
        assertThat(uploadPfx("dup-b", client).status()).isEqualTo(201);
        assertThat(admin().putJson("apis/dup-user", Bodies.api("dup-user", "https://127.0.0.1:9/")).status())
                .isEqualTo(201);
        Reply byThumbprint = admin().putJson("apis/dup-user/policies/policy", Bodies.policy(HomeFiles.inboundPolicy(
                "<authentication-certificate thumbprint=\"" + thumbprint + "\" />")));
        assertThat(byThumbprint.status()).as(byThumbprint.toString()).isEqualTo(201);

        Reply deleted = admin().delete("certificates/dup-b");

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        Reply lastHolder = admin().delete("certificates/dup-a");
        assertThat(lastHolder.status()).as(lastHolder.toString()).isEqualTo(409);
        assertThat(lastHolder.json().path("error").path("details").toString()).contains("apis/dup-user/policy.xml");

        // A reference by id needs that very id, whoever else holds the same certificate.
        assertThat(uploadPfx("dup-b", client).status()).isEqualTo(201);
        assertThat(admin().putJson("apis/dup-user/policies/policy", Bodies.policy(HomeFiles.inboundPolicy(
                "<authentication-certificate certificate-id=\"dup-b\" />"))).status()).isEqualTo(200);
        Reply namedById = admin().delete("certificates/dup-b");
        assertThat(namedById.status()).as(namedById.toString()).isEqualTo(409);
        assertThat(namedById.json().path("error").path("details").toString()).contains("apis/dup-user/policy.xml");
        assertThat(admin().delete("certificates/dup-a").status()).isEqualTo(200);

        assertThat(admin().delete("apis/dup-user").status()).isEqualTo(200);
        assertThat(admin().delete("certificates/dup-b").status()).isEqualTo(200);
    }

    @Test
    void refusesIdsOutsideThePatternBeforeTouchingTheDisk() throws Exception {
        TestPki.Issued client = TestPki.client(CA, "traversal");
        String password = password();
        Map<String, Object> upload = jsonUpload(client.pkcs12(password), password);

        for (String id : new String[] {"..%2F..%2Fescaped", "%2E%2E", "-leading-dash", "a%20b", "x".repeat(81),
                "..%5Cescaped", "%2e%2e%2fescaped"}) {
            Reply put = admin().putJson("certificates/" + id, upload);
            assertThat(put.status()).as(id + " -> " + put).isIn(400, 404);
            assertThat(admin().get("certificates/" + id).status()).as(id).isIn(400, 404);
        }
        try (var files = Files.walk(home.getParent(), 3)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain("escaped", "escaped.p12");
        }
        try (var stored = Files.walk(home, 3)) {
            assertThat(stored.filter(p -> p.getParent().endsWith("certificates")).map(p -> p.getFileName().toString()))
                    .allMatch(name -> name.matches("[A-Za-z0-9][A-Za-z0-9._-]*"));
        }
    }

    @Test
    void withoutCredentialsEverythingIs401AndNothingIsWritten() {
        AdminClient anonymous = AdminClient.anonymous(base);
        TestPki.Issued client = TestPki.client(CA, "anonymous");
        String password = password();

        Reply list = anonymous.get("certificates");
        Reply put = anonymous.putJson("certificates/anonymous", jsonUpload(client.pkcs12(password), password));
        Reply delete = anonymous.delete("certificates/pfx1");
        Reply wrongPassword = AdminClient.as(base, TestRealm.USER, "not-the-password").get("certificates");
        Reply notAdmin = AdminClient.as(base, TestRealm.OTHER_USER, TestRealm.otherPassword()).get("certificates");

        for (Reply refused : new Reply[] {list, put, delete, wrongPassword}) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Basic").contains("certgate"));
        }
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(home.resolve("config/certificates/anonymous")).doesNotExist();
        assertThat(home.resolve("secrets/certificates/anonymous.p12")).doesNotExist();
        assertThat(admin().get("certificates/anonymous").status()).isEqualTo(404);
    }

    @Test
    void aKeyStoreThatCannotServeIsListedInTheStatusUntilTheCertificateIsUploadedAgain() throws Exception {
        TestPki.Issued client = TestPki.client(CA, "it-restored");
        assertThat(uploadPfx("restored", client).status()).isEqualTo(201);
        assertThat(uploadPfx("other-home", TestPki.client(CA, "it-other-home")).status()).isEqualTo(201);
        // A key store from elsewhere under this id (a backup of another id or home): its password is not this id's.
        Files.copy(home.resolve("secrets/certificates/other-home.p12"),
                home.resolve("secrets/certificates/restored.p12"), StandardCopyOption.REPLACE_EXISTING);

        // No call needed: the watch loads the change, and the key store is opened then.
        JsonNode warning = Poll.until(Duration.ofSeconds(20), () -> unusable(admin().get("status").json(), "restored"),
                found -> !found.isMissingNode());
        assertThat(warning.path("file").asText()).isEqualTo("config/certificates/restored/certificateInformation.json");
        assertThat(warning.path("message").asText())
                .startsWith("Certificate restored cannot be presented: its key store cannot be opened");
        assertThat(unusable(admin().get("status").json(), "other-home").isMissingNode()).isTrue();

        assertThat(uploadPfx("restored", client).status()).isEqualTo(200);

        assertThat(Poll.until(Duration.ofSeconds(20), () -> unusable(admin().get("status").json(), "restored"),
                JsonNode::isMissingNode).isMissingNode()).as("uploaded again: nothing to report").isTrue();
    }

    @Test
    void aMetadataFileEditedToAnotherExpiryStillShowsTheCertificatesOwnDate() throws Exception {
        TestPki.Issued client = TestPki.client(CA, "it-edited-expiry");
        assertThat(uploadPfx("edited-expiry", client).status()).isEqualTo(201);
        Instant actual = client.certificate().getNotAfter().toInstant();
        long generation = admin().get("status").json().path("generation").asLong();

        Path metadata = home.resolve("config/certificates/edited-expiry/certificateInformation.json");
        String before = Files.readString(metadata);
        String edited = before.replaceAll("\"expirationDate\"\\s*:\\s*\"[^\"]+\"",
                "\"expirationDate\": \"2099-01-01T00:00:00Z\"");
        assertThat(edited).as("the metadata names a date to edit").isNotEqualTo(before);
        Files.writeString(metadata, edited);
        Poll.until(Duration.ofSeconds(20), () -> admin().get("status").json().path("generation").asLong(),
                loaded -> loaded > generation);

        JsonNode read = admin().get("certificates/edited-expiry").json().path("properties");
        JsonNode listed = find(admin().get("certificates").json(), "edited-expiry").path("properties");
        for (JsonNode properties : new JsonNode[] {read, listed}) {
            assertThat(Instant.parse(properties.path("expirationDate").asText()))
                    .isCloseTo(actual, within(1, ChronoUnit.SECONDS));
            assertThat(properties.path("daysToExpiry").asLong()).isBetween(360L, 366L);
        }
    }

    private static JsonNode unusable(JsonNode status, String certificateId) {
        for (JsonNode warning : status.path("warnings")) {
            if (warning.path("code").asText().equals("CertificateUnusable")
                    && warning.path("certificateId").asText().equals(certificateId)) {
                return warning;
            }
        }
        return MissingNode.getInstance();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void serverLogNeverShowsAPasswordOrAPrivateKey() {
        ServerLog.assertNoSecrets();
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode entity : list.path("value")) {
            if (name.equals(entity.path("name").asText())) {
                return entity;
            }
        }
        throw new AssertionError(name + " not in " + list);
    }
}
