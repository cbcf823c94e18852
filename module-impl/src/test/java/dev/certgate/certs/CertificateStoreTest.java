package dev.certgate.certs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.config.ConfigService;
import dev.certgate.config.HomeLayout;
import dev.certgate.config.Json;
import dev.certgate.config.JsonEnvelope;
import dev.certgate.config.Preconditions;
import dev.certgate.testsupport.TestPki;
import dev.certgate.x509.CertificateDescriptions;
import dev.certgate.testsupport.TestPki.Issued;
import dev.certgate.x509.Thumbprints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.certgate.config.NoPreconditions.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CertificateStoreTest {
    private static final String PASSWORD = "Upload-Password-9";
    private static final Issued CA = TestPki.ca("CN=Store CA");
    private static final Issued FIRST = TestPki.client(CA, "first");
    private static final Issued SECOND = TestPki.client(CA, "second");

    @TempDir
    Path home;
    private HomeLayout layout;
    private MasterKey masterKey;
    private ConfigService config;
    private CertificateStore store;

    @BeforeEach
    void start() {
        layout = new HomeLayout(home);
        masterKey = MasterKey.loadOrCreate(layout, Map.of());
        config = new ConfigService(layout);
        config.start();
        store = new CertificateStore(config, masterKey);
    }

    @AfterEach
    void stop() {
        store.close();
        config.close();
    }

    @Test
    void anUploadWritesMetadataToConfigAndTheKeyToSecrets() throws Exception {
        CertificateStore.Stored stored = store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);

        assertThat(stored.created()).isTrue();
        assertThat(stored.warnings()).isEmpty();
        JsonNode properties = Json.MAPPER.readTree(layout.certificateInformation("c1").toFile()).get("properties");
        assertThat(properties.get("thumbprint").asText()).isEqualTo(sha1Hex(FIRST)).isEqualTo(stored.properties().thumbprint());
        assertThat(properties.get("subject").asText()).isEqualTo("CN=first");
        assertThat(properties.get("issuer").asText()).isEqualTo("CN=Store CA");
        assertThat(properties.get("thumbprintSha256").asText()).hasSize(64);
        assertThat(Instant.parse(properties.get("expirationDate").asText()))
                .isEqualTo(FIRST.certificate().getNotAfter().toInstant());
        assertThat(Instant.parse(properties.get("notBefore").asText()))
                .isEqualTo(FIRST.certificate().getNotBefore().toInstant());
        assertThat(Files.readString(layout.certificateInformation("c1"))).doesNotContain("PRIVATE").doesNotContain(PASSWORD);
        assertThat(store.get("c1")).contains(stored.properties());
        assertThat(store.etag("c1")).isEqualTo(config.etagOf(layout.certificateInformation("c1"))).isNotNull();
    }

    @Test
    void theKeyStoreOpensWithTheDerivedPasswordOnlyAndIsOwnerOnly() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        byte[] keyStore = Files.readAllBytes(layout.certificateKeyStore("c1"));

        assertThatThrownBy(() -> KeyStore.getInstance("PKCS12").load(new ByteArrayInputStream(keyStore),
                PASSWORD.toCharArray())).isInstanceOf(IOException.class);
        KeyStore opened = KeyStore.getInstance("PKCS12");
        opened.load(new ByteArrayInputStream(keyStore), masterKey.derivePassword("certificates/c1.p12"));
        assertThat(opened.getCertificateChain("c1")).containsExactlyElementsOf(FIRST.chain());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.certificateKeyStore("c1"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.secretCertificatesDir())))
                .isEqualTo("rwx------");
    }

    @Test
    void keyMaterialIsTheUploadedKeyAndChainAndFollowsAReplacement() {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        KeyMaterial first = store.keys().keyMaterial("c1").orElseThrow();

        assertThat(first.thumbprint()).isEqualTo(sha1Hex(FIRST));
        assertThat(first.chain()).containsExactlyElementsOf(FIRST.chain());
        assertThat(first.privateKey().getEncoded()).isEqualTo(FIRST.privateKey().getEncoded());
        assertThat(store.keys().keyMaterial("c1")).containsSame(first);

        CertificateStore.Stored replaced = store.put("c1", SECOND.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);

        assertThat(replaced.created()).isFalse();
        assertThat(store.keys().keyMaterial("c1").orElseThrow().thumbprint()).isEqualTo(sha1Hex(SECOND));
        assertThat(store.keys().keyMaterial("missing")).isEmpty();
        assertThat(store.keys().keyMaterial("../etc")).isEmpty();
    }

    @Test
    void theSameCertificateReUploadedWithItsIssuerIsPresentedWithItFromTheNextRequest() {
        Issued leafOnly = new Issued(FIRST.keyPair(), List.of(FIRST.certificate()));
        store.put("c1", leafOnly.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        assertThat(store.keys().keyMaterial("c1").orElseThrow().chain()).containsExactly(FIRST.certificate());

        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);

        assertThat(store.keys().keyMaterial("c1").orElseThrow().chain()).containsExactlyElementsOf(FIRST.chain());
    }

    @Test
    void aKeyStoreAnotherInstanceReplacedIsReadAgainAfterTheLoadItCauses() throws InterruptedException {
        Issued leafOnly = new Issued(FIRST.keyPair(), List.of(FIRST.certificate()));
        store.put("c1", leafOnly.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        assertThat(store.keys().keyMaterial("c1").orElseThrow().chain()).hasSize(1);

        new CertificateStore(config, masterKey).put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.keys().keyMaterial("c1").orElseThrow().chain().size() == 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.keys().keyMaterial("c1").orElseThrow().chain()).containsExactlyElementsOf(FIRST.chain());
    }

    /**
     * A rotation writes the new key store before the metadata naming its thumbprint, and a load may come between
     * (another instance's watch, say): the key store then no longer holds the thumbprint the configuration serves.
     * The old key, already read, serves until the new metadata is loaded; no request fails for the rotation.
     */
    @Test
    void duringARotationTheOldKeyServesUntilTheMetadataNamingTheNewOneIsLoaded() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        assertThat(store.keys().keyMaterial("c1")).isPresent();
        char[] c1Password = masterKey.derivePassword("certificates/c1.p12");
        Files.write(layout.certificateKeyStore("c1"),
                Pkcs12Writer.write(SECOND.privateKey(), SECOND.chain(), "c1", c1Password));

        config.loadIfChanged();

        assertThat(store.keys().keyMaterial("c1").orElseThrow().thumbprint()).as("between the two files of a rotation")
                .isEqualTo(sha1Hex(FIRST));
        assertThat(store.keys().unusable()).as("a rotation under way is not a failure").isEmpty();
        Files.write(layout.certificateInformation("c1"),
                JsonEnvelope.write(CertificateDescriptions.certificate(SECOND.certificate())));
        config.loadIfChanged();
        assertThat(store.keys().keyMaterial("c1").orElseThrow().thumbprint()).isEqualTo(sha1Hex(SECOND));
    }

    @Test
    void aBurstOfFirstRequestsDecryptsTheKeyStoreOnce() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        store = new CertificateStore(config, masterKey); // nothing cached yet, as after a restart
        int callers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            List<Future<KeyMaterial>> keys = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                keys.add(threads.submit(() -> {
                    start.await();
                    return store.keys().keyMaterial("c1").orElseThrow();
                }));
            }
            start.countDown();
            KeyMaterial first = keys.get(0).get(30, TimeUnit.SECONDS);
            // Each decryption makes a KeyMaterial of its own: one instance for all means one decryption.
            for (Future<KeyMaterial> key : keys) {
                assertThat(key.get(30, TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aKeyStoreThatDoesNotMatchItsMetadataIsNotUsed() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        store.put("c2", SECOND.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        // c2's key store under c1's name: readable with a derived password, but not c1's certificate.
        char[] c1Password = masterKey.derivePassword("certificates/c1.p12");
        Files.write(layout.certificateKeyStore("c1"),
                Pkcs12Writer.write(SECOND.privateKey(), SECOND.chain(), "c1", c1Password));
        // As found after a restart (or by another instance): nothing of c1 read before.
        CertificateStore restarted = new CertificateStore(config, masterKey);
        try {
            assertThat(restarted.keys().keyMaterial("c1")).isEmpty();
            assertThat(restarted.keys().keyMaterial("c2")).isPresent();
            assertThat(restarted.keys().unusable()).containsOnlyKeys("c1");
            assertThat(restarted.keys().unusable().get("c1")).isEqualTo("its key store holds thumbprint "
                    + Thumbprints.sha1(SECOND.certificate()) + " but its metadata says "
                    + Thumbprints.sha1(FIRST.certificate()) + "; not used: upload the certificate again");

            restarted.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);

            assertThat(restarted.keys().unusable()).isEmpty();
            assertThat(restarted.keys().keyMaterial("c1")).isPresent();
        } finally {
            restarted.close();
        }
    }

    @Test
    void aKeyStoreThatNoLongerOpensIsInTheStatusAfterTheLoadWithoutWaitingForACall() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        awaitTrue(() -> store.keys().keyMaterial("c1").isPresent());
        byte[] whole = Files.readAllBytes(layout.certificateKeyStore("c1"));
        Files.write(layout.certificateKeyStore("c1"), Arrays.copyOf(whole, whole.length / 2)); // cut by hand

        config.loadIfChanged(); // what the watch does when the file changes

        awaitTrue(() -> store.keys().unusable().containsKey("c1"));
        assertThat(store.keys().unusable().get("c1")).startsWith("its key store cannot be opened")
                .endsWith("the key read before is still presented, until a restart");
        assertThat(store.keys().keyMaterial("c1")).as("the key read before serves meanwhile").isPresent();

        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        awaitTrue(() -> store.keys().unusable().isEmpty());
    }

    @Test
    void theStoredExpiryIsTheKeyStoresWhateverTheMetadataWasEditedToSay() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        Instant actual = FIRST.certificate().getNotAfter().toInstant();

        // Never used by a call: only the key store checks open it.
        Path metadata = layout.certificateInformation("c1");
        Files.writeString(metadata, Files.readString(metadata).replace(actual.toString(), "2099-01-01T00:00:00Z"));
        config.loadIfChanged();

        assertThat(config.current().certificates().get("c1").expirationDate())
                .isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
        awaitTrue(() -> store.keys().storedNotAfter("c1").isPresent());
        assertThat(store.keys().storedNotAfter("c1")).contains(actual);
        assertThat(store.keys().storedNotAfter("missing")).isEmpty();
        // An admin read opens the key store itself, whether or not the checks have come to it.
        assertThat(store.keys().notAfterOpening("c1")).contains(actual);
        assertThat(store.keys().notAfterOpening("missing")).isEmpty();
    }

    @Test
    void anAdminReadOpensAKeyStoreTheChecksHaveNotComeToYet() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        // Right after an upload nothing is cached: the next use, or the checks off the request path, open it.
        assertThat(store.keys().notAfterOpening("c1")).contains(FIRST.certificate().getNotAfter().toInstant());
        assertThat(store.keys().storedNotAfter("c1")).as("opened by that read").isPresent();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aFailedReplaceKeepsTheOldCertificateWhole() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        store.keys().keyMaterial("c1");
        byte[] keyStore = Files.readAllBytes(layout.certificateKeyStore("c1"));
        String etag = store.etag("c1");

        CertgateException wrongPassword = catchThrowableOfType(CertgateException.class,
                () -> store.put("c1", SECOND.pkcs12(PASSWORD), "Not-It-3".toCharArray(), NONE));
        CertgateException staleEtag = catchThrowableOfType(CertgateException.class,
                () -> store.put("c1", SECOND.pkcs12(PASSWORD), PASSWORD.toCharArray(),
                        new Preconditions("\"stale\"", null)));

        assertThat(wrongPassword.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(wrongPassword.getMessage()).contains("password is wrong").doesNotContain("Not-It-3");
        assertThat(staleEtag.errorCode()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(store.etag("c1")).isEqualTo(etag);
        assertThat(Files.readAllBytes(layout.certificateKeyStore("c1"))).isEqualTo(keyStore);
        assertThat(store.get("c1").map(CertificateProperties::thumbprint)).contains(sha1Hex(FIRST));
        assertThat(store.keys().keyMaterial("c1").orElseThrow().thumbprint()).isEqualTo(sha1Hex(FIRST));
        assertThat(store.put("c1", SECOND.pkcs12(PASSWORD), PASSWORD.toCharArray(), new Preconditions(etag, null))
                .created()).isFalse();
    }

    @Test
    void anExpiredCertificateIsAcceptedWithAWarning() {
        Issued expired = TestPki.issue(CA, TestPki.spec().subject("CN=expired").clientAuth()
                .validity(Instant.now().minus(Duration.ofDays(40)), Instant.now().minus(Duration.ofDays(2))));

        CertificateStore.Stored stored = store.put("old", expired.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);

        assertThat(stored.warnings()).singleElement().asString().contains("expired");
        assertThat(store.get("old")).isPresent();
    }

    @Test
    void deletionIsRefusedWhileBackendsOrPoliciesUseTheCertificate() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        String thumbprintWithColons = sha1Hex(FIRST).toLowerCase().replaceAll("(..)(?!$)", "$1:");
        write(layout.backendInformation("b1"), "{\"properties\": {\"url\": \"https://backend.example\","
                + " \"protocol\": \"http\", \"credentials\": {\"certificateIds\": [\"/certificates/c1\"]}}}");
        write(layout.globalPolicy(), policy("thumbprint=\"" + thumbprintWithColons + "\""));
        write(layout.apiInformation("orders"), "{\"properties\": {\"displayName\": \"Orders\", \"path\": \"orders\","
                + " \"serviceUrl\": \"https://backend.example\", \"protocols\": [\"https\"]}}");
        write(layout.operationInformation("orders", "get"), "{\"properties\": {\"displayName\": \"Get\","
                + " \"method\": \"GET\", \"urlTemplate\": \"/orders/{id}\"}}");
        write(layout.operationPolicy("orders", "get"), policy("certificate-id=\"c1\""));
        config.loadIfChanged();
        assertThat(config.status().lastError()).isNull();

        CertgateException conflict = catchThrowableOfType(CertgateException.class, () -> store.delete("c1", NONE));

        assertThat(conflict.errorCode()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(conflict.details()).extracting(ErrorDetail::target)
                .containsExactly("policy.xml", "apis/orders/operations/get/policy.xml", "backends/b1");
        assertThat(conflict.details()).extracting(ErrorDetail::code).containsOnly("CertificateInUse");
        assertThat(layout.certificateKeyStore("c1")).exists();
        assertThat(store.get("c1")).isPresent();
        assertThat(store.keys().keyMaterial("c1")).isPresent();
    }

    @Test
    void metadataEditedToClaimAnotherCertificatesThumbprintDoesNotLetThatCertificateBeDeleted() throws Exception {
        store.put("real", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        store.put("claimer", SECOND.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        write(layout.globalPolicy(), policy("thumbprint=\"" + sha1Hex(FIRST) + "\""));
        // A hand edit: claimer's metadata now names FIRST's thumbprint, while its key store still holds SECOND.
        String claimed = Files.readString(layout.certificateInformation("claimer"))
                .replace(sha1Hex(SECOND), sha1Hex(FIRST));
        write(layout.certificateInformation("claimer"), claimed);
        config.loadIfChanged();

        CertgateException conflict = catchThrowableOfType(CertgateException.class, () -> store.delete("real", NONE));

        assertThat(conflict).as("the only key store holding the policy's certificate is real's").isNotNull();
        assertThat(conflict.errorCode()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(conflict.details()).extracting(ErrorDetail::target).containsExactly("policy.xml");
        assertThat(layout.certificateKeyStore("real")).exists();
    }

    @Test
    void theUploadPasswordIsStoredNowhere() throws Exception {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);

        try (var files = Files.walk(home)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                try {
                    String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(content).as(file.toString()).doesNotContain(PASSWORD)
                            .doesNotContain(new String(PASSWORD.getBytes(StandardCharsets.UTF_16BE),
                                    StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void deletionRemovesMetadataAndKeyAndAMissingCertificateIs404() {
        store.put("c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);

        store.delete("c1", new Preconditions(store.etag("c1"), null));

        assertThat(layout.certificateDir("c1")).doesNotExist();
        assertThat(layout.certificateKeyStore("c1")).doesNotExist();
        assertThat(store.get("c1")).isEmpty();
        assertThat(store.keys().keyMaterial("c1")).isEmpty();
        assertThat(catchThrowableOfType(CertgateException.class, () -> store.delete("c1", NONE)).errorCode())
                .isEqualTo(ErrorCode.ENTITY_NOT_FOUND);
    }

    @Test
    void anInvalidIdIsRefusedBeforeAnythingIsRead() {
        assertThat(catchThrowableOfType(CertgateException.class,
                () -> store.put("../c1", FIRST.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE)).errorCode())
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(home.resolve("c1")).doesNotExist();
    }

    private static String policy(String certificateAttribute) {
        return "<policies><inbound><base /><authentication-certificate " + certificateAttribute + " /></inbound>"
                + "<backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>";
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String sha1Hex(Issued issued) {
        try {
            return HexFormat.of().withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(issued.certificate().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
