package dev.certgate.config;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.policy.PolicyDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ConfigServiceTest {
    /** No watch, and a re-scan too slow to matter: the test decides when to load. */
    private static final ConfigService.Settings MANUAL =
            new ConfigService.Settings(false, Duration.ofHours(1), Duration.ofMillis(50));
    private static final String THUMBPRINT = "A1B2C3D4E5F60718293A4B5C6D7E8F9011223344";

    @TempDir
    Path dir;
    private TestHome home;
    private final List<ConfigService> services = new ArrayList<>();

    @BeforeEach
    void setUp() {
        home = new TestHome(dir);
    }

    @AfterEach
    void tearDown() {
        services.forEach(ConfigService::close);
    }

    private ConfigService start(ConfigService.Settings settings) {
        ConfigService service = new ConfigService(home.layout, settings);
        services.add(service);
        service.start();
        return service;
    }

    private static byte[] backendJson(String url) {
        return TestHome.bytes(TestHome.envelope(Map.of("url", url)));
    }

    @Test
    void startCreatesTheFoldersAndLoadsGenerationOne() {
        home.backend("b", "https://b.test");

        ConfigService service = start(MANUAL);

        assertThat(service.current().generation()).isEqualTo(1);
        assertThat(service.current().backends()).containsOnlyKeys("b");
        assertThat(service.status().lastError()).isNull();
        assertThat(home.layout.apisDir()).isDirectory();
        assertThat(home.layout.certificatesDir()).isDirectory();
        assertThat(home.layout.authoritiesDir()).isDirectory();
    }

    @Test
    void anInvalidFirstLoadServesAnEmptyConfigurationAndReportsTheError() {
        home.file("config/backends/b/backendInformation.json", "{\n  \"properties\": [\n");

        ConfigService service = start(MANUAL);

        assertThat(service.current().generation()).isZero();
        assertThat(service.current().backends()).isEmpty();
        assertThat(service.status().lastError().file()).isEqualTo("config/backends/b/backendInformation.json");
    }

    @Test
    void loadsNeverPublishAnEditorsSaveHalfDone() throws Exception {
        ConfigService service = startEditedHome();
        List<Long> servedWithoutPolicy = new CopyOnWriteArrayList<>();
        service.addListener(snapshot -> {
            if (PolicyDocument.INHERIT.equals(snapshot.apis().get("a").policy())) {
                servedWithoutPolicy.add(snapshot.generation());
            }
        });
        Path policy = home.layout.apiPolicy("a");
        Path backup = policy.resolveSibling("policy.xml~");
        byte[] xml = Files.readAllBytes(policy);

        // vim's save: the file is renamed away, written anew (10 ms later: a slow disk), and the backup deleted.
        List<String> refused = writeWhileEditing(service, () -> {
            Files.move(policy, backup);
            Thread.sleep(10);
            Files.write(policy, xml);
            Files.delete(backup);
        });

        assertThat(servedWithoutPolicy).as("generations that served API a without its policy").isEmpty();
        assertThat(refused).isEmpty();
        assertThat(service.current().apis().get("a").policy()).isNotEqualTo(PolicyDocument.INHERIT);
    }

    @Test
    void aHandEditCaughtHalfWrittenDoesNotRefuseAnUnrelatedAdminWrite() throws Exception {
        ConfigService service = startEditedHome();
        Path policy = home.layout.apiPolicy("a");
        byte[] xml = Files.readAllBytes(policy);
        byte[] firstHalf = Arrays.copyOf(xml, xml.length / 2);

        // An editor that saves in place, its first half 10 ms before the rest.
        List<String> refused = writeWhileEditing(service, () -> {
            Files.write(policy, firstHalf);
            Thread.sleep(10);
            Files.write(policy, xml);
        });

        assertThat(refused).as("admin writes refused for the hand edit's half-written file").isEmpty();
        assertThat(service.current().backends().get("other").url()).isEqualTo("https://other59.test");
    }

    @Test
    void filesThatNeverStopChangingDoNotHoldAnAdminWriteForever() throws Exception {
        ConfigService service = startEditedHome();
        Path policy = home.layout.apiPolicy("a");
        byte[] xml = Files.readAllBytes(policy);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService editor = Executors.newSingleThreadExecutor();
        try {
            Future<?> rewrites = editor.submit(() -> {
                while (!stop.get()) {
                    Files.write(policy, xml); // every 5 ms: never still for the 50 ms debounce
                    Thread.sleep(5);
                }
                return null;
            });
            Path file = home.layout.backendInformation("other");

            // Bounded (at most 5 loads, each after at most 10 quiet-period rounds): 3 s here, not forever.
            ConfigService.Applied applied = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> service.apply(
                    ConfigChange.create().put(file, backendJson("https://other.test")).primary(file)));

            assertThat(applied.snapshot().backends().get("other").url()).isEqualTo("https://other.test");
            stop.set(true);
            rewrites.get(10, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            editor.shutdownNow();
        }
    }

    /** API a with a policy that presents certificate c, watched with a debounce well above a save's 10 ms. */
    private ConfigService startEditedHome() {
        home.backend("b", "https://b.test").certificate("c", THUMBPRINT).api("a", "a")
                .apiPolicy("a", TestHome.policyUsing("c", "b"));
        return start(new ConfigService.Settings(true, Duration.ofMillis(100), Duration.ofMillis(50)));
    }

    /** An editor's save, run again and again. */
    private interface Save {
        void run() throws Exception;
    }

    /**
     * Applies 60 admin writes of backend "other" while another thread saves every 160-260 ms; answers the messages of
     * the writes refused.
     */
    private List<String> writeWhileEditing(ConfigService service, Save save) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService editor = Executors.newSingleThreadExecutor();
        List<String> refused = new ArrayList<>();
        try {
            Future<?> saves = editor.submit(() -> {
                while (!stop.get()) {
                    save.run();
                    Thread.sleep(150 + (long) (Math.random() * 100));
                }
                return null;
            });
            Path file = home.layout.backendInformation("other");
            for (int i = 0; i < 60; i++) {
                try {
                    service.apply(ConfigChange.create().put(file, backendJson("https://other" + i + ".test"))
                            .primary(file));
                } catch (CertgateException e) {
                    refused.add(e.getMessage());
                }
                Thread.sleep((long) (Math.random() * 20));
            }
            stop.set(true);
            saves.get(10, TimeUnit.SECONDS);
        } finally {
            editor.shutdownNow();
        }
        return refused;
    }

    /**
     * A write publishes what it validated only while the disk holds exactly that: an editor's save landing as the
     * change is written, in another file or in the very file written, is published with it (no watch runs here to
     * catch it later, and with one the tree published would already include the edit, so it never would).
     */
    @Test
    void anEditLandingWhileAWriteIsWrittenIsPublishedWithIt() throws Exception {
        home.backend("other", "https://other.test");
        Path mine = home.layout.backendInformation("mine");
        Path other = home.layout.backendInformation("other");
        AtomicReference<Path> editDuringWrite = new AtomicReference<>();
        ChangeJournal.Checkpoint editor = (phase, count) -> {
            Path target = phase == ChangeJournal.Phase.PERFORMED ? editDuringWrite.getAndSet(null) : null;
            if (target != null) {
                try {
                    Files.write(target, backendJson("https://edited.test"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        ConfigService service = new ConfigService(home.layout, MANUAL, editor);
        services.add(service);
        service.start();

        editDuringWrite.set(other);
        service.apply(ConfigChange.create().put(mine, backendJson("https://mine.test")).primary(mine));

        assertThat(service.current().backends().get("mine").url()).isEqualTo("https://mine.test");
        assertThat(service.current().backends().get("other").url()).isEqualTo("https://edited.test");

        // The same size as what the change writes, possibly in the same clock tick: only the content tells.
        editDuringWrite.set(mine);
        service.apply(ConfigChange.create().put(mine, backendJson("https://mine-2.test")));

        assertThat(service.current().backends().get("mine").url()).isEqualTo("https://edited.test");
    }

    /** Status and entity reads call it on every request: an unchanged tree costs a walk, never a load. */
    @Test
    void loadIfChangedLoadsOnlyATreeThatChanged() {
        home.backend("b", "https://old.test");
        ConfigService service = start(MANUAL);
        List<Long> loads = new CopyOnWriteArrayList<>();
        service.addLoadListener(loads::add);

        service.loadIfChanged();
        service.loadIfChanged();
        assertThat(loads).isEmpty();

        home.backend("b", "https://new.test");
        service.loadIfChanged();
        service.loadIfChanged();
        assertThat(loads).hasSize(1);
        assertThat(service.current().backends().get("b").url()).isEqualTo("https://new.test");
    }

    @Test
    void aBrokenFileKeepsThePreviousSnapshotUntilItIsFixed() {
        home.backend("b", "https://old.test");
        ConfigService service = start(MANUAL);
        GatewaySnapshot before = service.current();

        home.file("config/backends/b/backendInformation.json", "{\n  \"properties\": {\n    \"url\": \"https://new.test\"\n");
        service.loadIfChanged();

        assertThat(service.current()).isSameAs(before);
        ConfigStatus broken = service.status();
        assertThat(broken.generation()).isEqualTo(1);
        assertThat(broken.lastError().file()).isEqualTo("config/backends/b/backendInformation.json");
        assertThat(broken.lastError().line()).isEqualTo(4);
        assertThat(broken.lastError().message()).startsWith("invalid JSON");

        home.backend("b", "https://fixed.test");
        service.loadIfChanged();

        assertThat(service.status().lastError()).isNull();
        assertThat(service.status().generation()).isEqualTo(2);
        assertThat(service.current().backends().get("b").url()).isEqualTo("https://fixed.test");
    }

    @Test
    void listenersHearEveryPublishedSnapshot() {
        ConfigService service = start(MANUAL);
        List<Long> heard = new CopyOnWriteArrayList<>();
        service.addListener(snapshot -> heard.add(snapshot.generation()));

        home.backend("b", "https://b.test");
        service.loadIfChanged();
        home.file("config/backends/b/backendInformation.json", "broken");
        service.loadIfChanged();

        assertThat(heard).containsExactly(2L);
    }

    @Test
    void theWatcherPicksUpChangesOnDisk() {
        ConfigService service = start(ConfigService.Settings.DEFAULTS);

        home.backend("new-one", "https://one.test");
        TestHome.await(Duration.ofSeconds(10), "new backend loaded",
                () -> service.current().backends().containsKey("new-one"));
        home.backend("new-one", "https://changed.test");
        TestHome.await(Duration.ofSeconds(10), "changed backend loaded",
                () -> service.current().backends().get("new-one").url().equals("https://changed.test"));
        home.file("config/backends/new-one/backendInformation.json", "{\"properties\": {\"url\": 42}}");
        TestHome.await(Duration.ofSeconds(10), "broken file reported", () -> service.status().lastError() != null);

        assertThat(service.current().backends().get("new-one").url()).isEqualTo("https://changed.test");
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("certgate-config-watch");
    }

    @Test
    void aKeyStoreArrivingAfterItsMetadataIsPickedUpByTheWatch() throws Exception {
        servesOnceTheKeyStoreArrives(ConfigService.Settings.DEFAULTS);
    }

    @Test
    void aKeyStoreArrivingAfterItsMetadataIsPickedUpByTheRescan() throws Exception {
        servesOnceTheKeyStoreArrives(new ConfigService.Settings(false, Duration.ofMillis(200), Duration.ofMillis(50)));
    }

    /** As when a Secret with the key is mounted apart from, and later than, the ConfigMap with the metadata. */
    private void servesOnceTheKeyStoreArrives(ConfigService.Settings settings) throws Exception {
        home.certificate("late", THUMBPRINT).backend("b", "https://b.test")
                .api("a", "a").apiPolicy("a", TestHome.policyUsing("late", "b"));
        Path keyStore = home.layout.certificateKeyStore("late");
        Files.delete(keyStore);
        ConfigService service = start(settings);
        assertThat(service.current().apis()).isEmpty();
        assertThat(service.status().lastError().message()).contains("secrets/certificates/late.p12 is missing");

        Files.write(keyStore, new byte[] {1, 2, 3});

        TestHome.await(Duration.ofSeconds(10), "API served once its certificate's key is there",
                () -> service.current().apis().containsKey("a"));
        assertThat(service.status().lastError()).isNull();
    }

    @Test
    void aNameThatDiffersFromAnExistingOneOnlyInCaseIsRefusedAndNothingIsWritten() {
        home.api("orders", "orders");
        ConfigService service = start(MANUAL);
        service.apply(ConfigChange.create().put(home.layout.backendInformation("Billing"), backendJson("https://b.test")));

        assertThatThrownBy(() -> service.apply(ConfigChange.create()
                .put(home.layout.apiInformation("Orders"), TestHome.bytes(TestHome.envelope(Map.of("path", "o2"))))))
                .isInstanceOfSatisfying(CertgateException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage())
                            .startsWith("config/apis/Orders would differ from the existing config/apis/orders only in case");
                    assertThat(e.details()).singleElement()
                            .satisfies(d -> assertThat(d.target()).isEqualTo("config/apis/Orders"));
                });
        assertThatThrownBy(() -> service.apply(ConfigChange.create()
                .put(home.layout.backendInformation("billing"), backendJson("https://c.test"))))
                .isInstanceOfSatisfying(CertgateException.class,
                        e -> assertThat(e.getMessage()).startsWith("config/backends/billing would differ from the existing"
                                + " config/backends/Billing only in case"));

        assertThat(dir.resolve("config/apis")).isDirectoryNotContaining(path -> path.endsWith("Orders"));
        assertThat(dir.resolve("config/backends")).isDirectoryNotContaining(path -> path.endsWith("billing"));
        assertThat(service.current().apis()).containsOnlyKeys("orders");
        assertThat(service.current().backends()).containsOnlyKeys("Billing");
        // The same names exactly are still written, and so is a new name that only shares a prefix.
        service.apply(ConfigChange.create().put(home.layout.backendInformation("Billing"), backendJson("https://d.test")));
        service.apply(ConfigChange.create().put(home.layout.backendInformation("billing2"), backendJson("https://e.test")));
        assertThat(service.current().backends()).containsOnlyKeys("Billing", "billing2");
    }

    @Test
    void aNewNameThatWindowsWouldChangeOrReserveIsRefusedAndNothingIsWritten() throws Exception {
        home.api("orders", "orders");
        ConfigService service = start(MANUAL);

        // Windows drops the final '.': "orders." would be the folder of "orders", another API.
        assertThatThrownBy(() -> service.apply(ConfigChange.create()
                .put(home.layout.apiInformation("orders."), TestHome.bytes(TestHome.envelope(Map.of("path", "o2"))))))
                .isInstanceOfSatisfying(CertgateException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).startsWith("config/apis/orders. cannot be created: Windows drops a"
                            + " final '.' from a name, so there it would be config/apis/orders");
                    assertThat(e.details()).singleElement().satisfies(d -> {
                        assertThat(d.code()).isEqualTo("NameNotPortable");
                        assertThat(d.target()).isEqualTo("config/apis/orders.");
                    });
                });
        // Device names stay devices in any case and with any extension, below a new folder too.
        for (String device : List.of("con", "NUL", "Com1", "lpt9.orders", "aux.json")) {
            assertThatThrownBy(() -> service.apply(ConfigChange.create()
                    .put(home.layout.backendInformation(device), backendJson("https://b.test"))))
                    .as(device)
                    .isInstanceOfSatisfying(CertgateException.class, e -> assertThat(e.getMessage())
                            .startsWith("config/backends/" + device + " cannot be created: \"" + device + "\" is a"
                                    + " device name on Windows"));
        }
        assertThatThrownBy(() -> service.apply(ConfigChange.create()
                .put(home.layout.operationInformation("orders", "prn"), TestHome.bytes(TestHome.envelope(
                        Map.of("method", "GET", "urlTemplate", "/x")))))).isInstanceOf(CertgateException.class)
                .hasMessageStartingWith("config/apis/orders/operations/prn cannot be created");

        assertThat(dir.resolve("config/apis")).isDirectoryNotContaining(path -> path.endsWith("orders."));
        assertThat(dir.resolve("config/backends")).satisfiesAnyOf(
                backends -> assertThat(backends).doesNotExist(), backends -> assertThat(backends).isEmptyDirectory());
        assertThat(service.current().apis()).containsOnlyKeys("orders");
        // Names that only look alike are written, and a hand-made folder Windows could not hold is still written into.
        for (String alike : List.of("console", "com10")) {
            service.apply(ConfigChange.create()
                    .put(home.layout.backendInformation(alike), backendJson("https://c.test")));
        }
        Files.createDirectories(dir.resolve("config/backends/aux"));
        service.apply(ConfigChange.create().put(home.layout.backendInformation("aux"), backendJson("https://d.test")));
        assertThat(service.current().backends()).containsOnlyKeys("console", "com10", "aux");
    }

    @Test
    void anEntityFolderThatCannotBeCreatedIsReadAsEmptyAndOnlyWritesIntoItFail() throws Exception {
        // As on a read-only config/ (a ConfigMap holds no empty folder); here a file stands where the folder would.
        home.api("a", "a").file("config/backends", "not a folder");

        ConfigService service = start(MANUAL);

        assertThat(service.current().apis()).containsOnlyKeys("a");
        assertThat(service.current().backends()).isEmpty();
        assertThatThrownBy(() -> service.apply(ConfigChange.create()
                .put(home.layout.backendInformation("b"), backendJson("https://b.test"))))
                .isInstanceOf(RuntimeException.class);
        assertThat(service.current().apis()).containsOnlyKeys("a");
    }

    @Test
    void thePeriodicRescanAlonePicksUpChanges() {
        ConfigService service = start(new ConfigService.Settings(false, Duration.ofMillis(200), Duration.ofMillis(50)));

        home.backend("scanned", "https://scanned.test");

        TestHome.await(Duration.ofSeconds(10), "re-scan loaded the backend",
                () -> service.current().backends().containsKey("scanned"));
        assertThat(service.current().generation()).isEqualTo(2);
    }

    @Test
    void readersNeverSeeAPartialSnapshotDuringReloads() throws Exception {
        int backendsPerGeneration = 10;
        ConfigService service = start(ConfigService.Settings.DEFAULTS);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<String> violations = new CopyOnWriteArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> checks = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            checks.add(readers.submit(() -> {
                int seen = 0;
                long lastGeneration = 0;
                while (writing.get()) {
                    GatewaySnapshot snapshot = service.current();
                    if (snapshot.generation() < lastGeneration) {
                        violations.add("generation went back from " + lastGeneration + " to " + snapshot.generation());
                    }
                    lastGeneration = snapshot.generation();
                    if (snapshot.generation() > 1) {
                        long urls = snapshot.backends().values().stream().map(b -> b.url()).distinct().count();
                        if (snapshot.backends().size() != backendsPerGeneration || urls != 1) {
                            violations.add("generation " + snapshot.generation() + ": " + snapshot.backends());
                        }
                    }
                    seen++;
                    Thread.yield();
                }
                return seen;
            }));
        }

        for (int generation = 0; generation < 100; generation++) {
            ConfigChange change = ConfigChange.create();
            for (int i = 0; i < backendsPerGeneration; i++) {
                change.put(home.layout.backendInformation("b" + i), backendJson("https://gen-" + generation + ".test"));
            }
            service.apply(change);
        }
        writing.set(false);
        readers.shutdown();
        for (Future<Integer> check : checks) {
            assertThat(check.get(30, TimeUnit.SECONDS)).isPositive();
        }

        assertThat(violations).isEmpty();
        assertThat(service.current().generation()).isGreaterThanOrEqualTo(101);
        assertThat(service.current().backends().get("b9").url()).isEqualTo("https://gen-99.test");
    }

    @Test
    void applyReportsWhetherItCreatedAndPublishesAtOnce() {
        ConfigService service = start(MANUAL);
        Path file = home.layout.backendInformation("b");

        ConfigService.Applied first = service.apply(ConfigChange.create().put(file, backendJson("https://one.test")).primary(file));
        ConfigService.Applied second = service.apply(ConfigChange.create().put(file, backendJson("https://two.test")).primary(file));

        assertThat(first.created()).isTrue();
        assertThat(first.snapshot().backends().get("b").url()).isEqualTo("https://one.test");
        assertThat(second.created()).isFalse();
        assertThat(second.snapshot().generation()).isEqualTo(first.snapshot().generation() + 1);
        assertThat(service.current()).isSameAs(second.snapshot());
        assertThat(service.current().backends().get("b").url()).isEqualTo("https://two.test");
    }

    @Test
    void ifMatchMustNameTheCurrentContent() throws Exception {
        ConfigService service = start(MANUAL);
        Path file = home.layout.backendInformation("b");
        service.apply(ConfigChange.create().put(file, backendJson("https://one.test")));
        String etag = service.etagOf(file);

        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThatThrownBy(() -> service.apply(ConfigChange.create().put(file, backendJson("https://two.test"))
                .preconditions(file, new Preconditions("\"0123456789abcdef0123456789abcdef\"", null))))
                .isInstanceOfSatisfying(CertgateException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PRECONDITION_FAILED));
        assertThat(Files.readAllBytes(file)).isEqualTo(backendJson("https://one.test"));

        service.apply(ConfigChange.create().put(file, backendJson("https://two.test"))
                .preconditions(file, new Preconditions(etag, null)));
        assertThat(service.etagOf(file)).isNotEqualTo(etag);
        assertThat(service.current().backends().get("b").url()).isEqualTo("https://two.test");
        service.apply(ConfigChange.create().put(file, backendJson("https://three.test"))
                .preconditions(file, new Preconditions("*", null)));

        Path missing = home.layout.backendInformation("missing");
        assertThat(service.etagOf(missing)).isNull();
        assertThatThrownBy(() -> service.apply(ConfigChange.create().put(missing, backendJson("https://x.test"))
                .preconditions(missing, new Preconditions("*", null))))
                .isInstanceOfSatisfying(CertgateException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PRECONDITION_FAILED));
        assertThat(missing).doesNotExist();
    }

    @Test
    void ifNoneMatchStarCreatesOnlyAndIfNoneMatchWithEtagsRefusesThoseVersions() throws Exception {
        ConfigService service = start(MANUAL);
        Path file = home.layout.backendInformation("b");

        boolean created = service.apply(ConfigChange.create().put(file, backendJson("https://one.test")).primary(file)
                .preconditions(file, new Preconditions(null, "*"))).created();
        String etag = service.etagOf(file);

        assertThat(created).isTrue();
        CertgateException exists = catchThrowableOfType(CertgateException.class, () -> service.apply(
                ConfigChange.create().put(file, backendJson("https://two.test"))
                        .preconditions(file, new Preconditions(null, "*"))));
        assertThat(exists.errorCode()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(exists.getMessage()).contains("If-None-Match: *", "exists", etag);
        // Weak comparison, as RFC 9110 asks of If-None-Match: W/"x" names the version "x" too.
        CertgateException listed = catchThrowableOfType(CertgateException.class, () -> service.apply(
                ConfigChange.create().put(file, backendJson("https://two.test"))
                        .preconditions(file, new Preconditions(null, "\"0123456789abcdef0123456789abcdef\", W/"
                                + etag))));
        assertThat(listed.errorCode()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(Files.readAllBytes(file)).isEqualTo(backendJson("https://one.test"));

        service.apply(ConfigChange.create().put(file, backendJson("https://two.test"))
                .preconditions(file, new Preconditions(null, "\"0123456789abcdef0123456789abcdef\"")));
        assertThat(service.current().backends().get("b").url()).isEqualTo("https://two.test");
        // Both fields: If-Match is met, then If-None-Match: * refuses.
        String now = service.etagOf(file);
        assertThat(catchThrowableOfType(CertgateException.class, () -> service.apply(
                ConfigChange.create().put(file, backendJson("https://three.test"))
                        .preconditions(file, new Preconditions(now, "*")))).errorCode())
                .isEqualTo(ErrorCode.PRECONDITION_FAILED);
        assertThat(service.current().backends().get("b").url()).isEqualTo("https://two.test");
    }

    @Test
    void guardsDecideBeforeIfMatchWhateverTheOrderTheyWereAddedIn() {
        ConfigService service = start(MANUAL);
        Path missing = home.layout.backendInformation("missing");

        // A delete of a missing entity with a stale If-Match is a 404 (it is not there), not a 412.
        assertThatThrownBy(() -> service.apply(ConfigChange.create().delete(missing)
                .preconditions(missing, new Preconditions("\"0123456789abcdef0123456789abcdef\"", null))
                .guard(onDisk -> {
                    throw CertgateException.notFound("Backend", "missing");
                })))
                .isInstanceOfSatisfying(CertgateException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_NOT_FOUND));
    }

    @Test
    void anInvalidChangeIsRefusedWithEveryErrorAndNothingIsWritten() throws Exception {
        ConfigService service = start(MANUAL);
        GatewaySnapshot before = service.current();
        Path dangling = home.layout.backendInformation("dangling");
        Path malformed = home.layout.backendInformation("malformed");

        assertThatThrownBy(() -> service.apply(ConfigChange.create()
                .put(dangling, TestHome.bytes(TestHome.envelope(Map.of("url", "https://a.test",
                        "credentials", Map.of("certificateIds", List.of("/certificates/nope"))))))
                .put(malformed, TestHome.bytes("{\n\"properties\": {\"url\": }}"))))
                .isInstanceOfSatisfying(CertgateException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).extracting(ErrorDetail::code).containsOnly("InvalidConfiguration");
                    assertThat(e.details()).extracting(ErrorDetail::target).containsExactlyInAnyOrder(
                            "config/backends/dangling/backendInformation.json",
                            "config/backends/malformed/backendInformation.json");
                    assertThat(e.details()).extracting(ErrorDetail::message).anySatisfy(m -> assertThat(m).startsWith("2:"));
                });

        assertThat(home.layout.backendsDir()).isEmptyDirectory();
        assertThat(service.current()).isSameAs(before);
    }

    @Test
    void theStatusListsEveryErrorOfARefusedLoadAndClearsThemAfterAGoodOne() {
        home.backend("b", "https://b.test");
        ConfigService service = start(MANUAL);

        home.file("config/backends/b/backendInformation.json", "{\n  \"properties\": {\"url\": 1\n")
                .file("config/apis/a/apiInformation.json", TestHome.envelope(Map.of("displayName", "no path")))
                .apiPolicy("x", "<policies>\n  <inbound>\n    <nonsense />\n  </inbound>\n</policies>\n")
                .api("x", "x");
        service.loadIfChanged();

        ConfigStatus broken = service.status();
        assertThat(broken.generation()).isEqualTo(1);
        assertThat(broken.errors()).extracting(ConfigError::file).containsExactlyInAnyOrder(
                "config/backends/b/backendInformation.json", "config/apis/a/apiInformation.json",
                "config/apis/x/policy.xml");
        assertThat(broken.lastError()).isEqualTo(broken.errors().get(0));
        assertThat(broken.errors()).filteredOn(e -> e.file().endsWith("policy.xml")).singleElement()
                .satisfies(e -> assertThat(List.of(e.line(), e.column())).containsExactly(3, 5));

        home.file("config/backends/b/backendInformation.json", TestHome.envelope(Map.of("url", "https://b.test")))
                .api("a", "a").apiPolicy("x", "<policies />");
        service.loadIfChanged();

        assertThat(service.status().errors()).isEmpty();
        assertThat(service.status().lastError()).isNull();
        assertThat(service.status().generation()).isEqualTo(2);
    }

    @Test
    void errorsAlreadyOnDiskDoNotRefuseAChangeButOneItAddsDoes() throws Exception {
        home.certificate("c1", THUMBPRINT).api("orders", "orders");
        ConfigService service = start(MANUAL);
        home.apiPolicy("orders", "<policies>\n  <inbound>\n    <base />\n"
                + "    <authentication-certificate certificate-id=\"gone\" />\n  </inbound>\n</policies>\n");
        service.loadIfChanged();
        List<ConfigError> onDisk = service.status().errors();
        assertThat(onDisk).extracting(ConfigError::file).containsExactly("config/apis/orders/policy.xml");
        Path file = home.layout.backendInformation("b");

        service.apply(ConfigChange.create().put(file, backendJson("https://b.test")));
        assertThat(service.current().backends()).containsOnlyKeys("b");
        assertThat(service.status().errors()).as("the error on disk is still listed").isEqualTo(onDisk);

        Path other = home.layout.backendInformation("c");
        assertThatThrownBy(() -> service.apply(ConfigChange.create().put(other, backendJson("ftp://c.test"))))
                .as("an error of the change itself is the caller's to fix; the one already on disk is not named")
                .isInstanceOfSatisfying(CertgateException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).startsWith("The change would make the configuration invalid: "
                            + "config/backends/c/backendInformation.json");
                    assertThat(e.details()).extracting(ErrorDetail::target)
                            .containsExactly("config/backends/c/backendInformation.json");
                });
        assertThat(other).doesNotExist();

        Path policy = home.layout.apiPolicy("orders");
        service.apply(ConfigChange.create().put(policy, TestHome.bytes("<policies>\n  <inbound>\n    <base />\n"
                + "    <!-- moved down a line -->\n"
                + "    <authentication-certificate certificate-id=\"gone\" />\n  </inbound>\n</policies>\n")));
        assertThat(service.status().errors()).as("the same error, a line lower: not added by the write")
                .singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(5));

        service.apply(ConfigChange.create().put(policy, TestHome.bytes(TestHome.policyUsing("c1", "b"))));
        assertThat(service.status().errors()).isEmpty();
        assertThat(service.current().apis()).containsKey("orders");
    }

    @Test
    void aGuardRefusalWritesNothing() {
        home.certificate("c1", THUMBPRINT);
        ConfigService service = start(MANUAL);
        Path info = home.layout.certificateInformation("c1");

        assertThatThrownBy(() -> service.apply(ConfigChange.create()
                .guard(snapshot -> {
                    if (snapshot.certificates().containsKey("c1")) {
                        throw new CertgateException(ErrorCode.CONFLICT, "certificate c1 is in use");
                    }
                })
                .deleteTree(home.layout.certificateDir("c1"))))
                .isInstanceOfSatisfying(CertgateException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONFLICT));

        assertThat(info).exists();
        assertThat(service.current().certificates()).containsKey("c1");
    }

    @Test
    void applyDeletesFoldersAndWritesSecretsOwnerOnly() throws Exception {
        home.certificate("c1", THUMBPRINT).backend("b", "https://b.test");
        ConfigService service = start(MANUAL);
        Path keyStore = home.layout.certificateKeyStore("c2");

        service.apply(ConfigChange.create()
                .deleteTree(home.layout.certificateDir("c1"))
                .delete(home.layout.certificateKeyStore("c1"))
                .put(keyStore, new byte[] {1, 2, 3})
                .put(home.layout.certificateInformation("c2"), TestHome.bytes(TestHome.envelope(Map.of("thumbprint", THUMBPRINT))))
                .delete(home.layout.backendInformation("b")));

        assertThat(service.current().certificates()).containsOnlyKeys("c2");
        assertThat(service.current().backends()).isEmpty();
        assertThat(home.layout.certificateDir("c1")).doesNotExist();
        assertThat(keyStore).hasBinaryContent(new byte[] {1, 2, 3});
        if (keyStore.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyStore))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyStore.getParent())))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.layout.secretsDir())))
                    .isEqualTo("rwx------");
        }
        try (Stream<Path> left = Files.walk(dir)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).noneMatch(n -> n.startsWith(".") && !n.equals(".write.lock"));
        }
    }

    @Test
    void applyRefusesPathsOutsideTheHome() {
        ConfigService service = start(MANUAL);

        assertThatThrownBy(() -> service.apply(ConfigChange.create().put(dir.resolve("../escape.txt"), new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("../escape.txt")).doesNotExist();
    }

    @Test
    void twentyConcurrentApiWritesAllLand() throws Exception {
        ConfigService service = start(ConfigService.Settings.DEFAULTS);
        int writers = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<ConfigService.Applied>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String id = "api-" + i;
            Path file = home.layout.apiInformation(id);
            byte[] json = TestHome.bytes(TestHome.envelope(Map.of("displayName", id, "path", "p" + id,
                    "serviceUrl", "https://" + id + ".test")));
            results.add(pool.submit(() -> {
                go.await();
                return service.apply(ConfigChange.create().put(file, json).primary(file));
            }));
        }
        go.countDown();
        pool.shutdown();
        for (Future<ConfigService.Applied> result : results) {
            assertThat(result.get(60, TimeUnit.SECONDS).created()).isTrue();
        }

        GatewaySnapshot snapshot = service.current();
        assertThat(snapshot.apis()).hasSize(writers);
        assertThat(snapshot.apis().get("api-7").properties().path()).isEqualTo("papi-7");
        assertThat(start(MANUAL).current().apis()).as("what the disk holds").hasSize(writers);
        assertThat(service.status().lastError()).isNull();
    }

    @Test
    void twoInstancesOnOneHomeSerialiseWritesAndSeeEachOther() throws Exception {
        ConfigService a = start(ConfigService.Settings.DEFAULTS);
        ConfigService b = start(ConfigService.Settings.DEFAULTS);
        Path counter = home.layout.backendInformation("counter");
        a.apply(ConfigChange.create().put(counter, counterJson(0)));

        // Read-modify-write with If-Match from both instances: only serialised check-and-write loses no increment.
        int threadsPerInstance = 2;
        int incrementsPerThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerInstance);
        List<Future<?>> done = new ArrayList<>();
        for (ConfigService instance : List.of(a, b)) {
            for (int t = 0; t < threadsPerInstance; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < incrementsPerThread; i++) {
                        incrementWithRetry(instance, counter);
                    }
                    return null;
                }));
            }
        }
        pool.shutdown();
        for (Future<?> future : done) {
            future.get(120, TimeUnit.SECONDS);
        }
        assertThat(readCounter(counter)).isEqualTo(2 * threadsPerInstance * incrementsPerThread);

        a.apply(ConfigChange.create().put(home.layout.backendInformation("from-a"), backendJson("https://a.test")));
        TestHome.await(Duration.ofSeconds(5), "instance B sees A's write through its watcher",
                () -> b.current().backends().containsKey("from-a"));
    }

    private static void incrementWithRetry(ConfigService service, Path counter) throws Exception {
        while (true) {
            String etag = service.etagOf(counter);
            int value = readCounter(counter);
            try {
                service.apply(ConfigChange.create().put(counter, counterJson(value + 1))
                        .preconditions(counter, new Preconditions(etag, null)));
                return;
            } catch (CertgateException e) {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
            }
        }
    }

    private static byte[] counterJson(int value) {
        return TestHome.bytes(TestHome.envelope(Map.of("url", "https://counter.test", "description", String.valueOf(value))));
    }

    private static int readCounter(Path counter) throws Exception {
        return Integer.parseInt(Json.MAPPER.readTree(counter.toFile()).path("properties").path("description").asText());
    }
}
