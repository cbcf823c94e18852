package dev.certgate.config;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.config.Crashes.Point;
import dev.certgate.config.Crashes.SimulatedCrash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ChangeJournalTest {
    private static final ConfigService.Settings MANUAL =
            new ConfigService.Settings(false, Duration.ofHours(1), Duration.ofMillis(50));
    private static final String OLD_THUMBPRINT = "A1B2C3D4E5F60718293A4B5C6D7E8F9011223344";
    private static final String NEW_THUMBPRINT = "FFEEDDCCBBAA00998877665544332211FFEEDDCC";
    private static final String UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    @TempDir
    Path dir;
    private final List<ConfigService> services = new ArrayList<>();

    @AfterEach
    void closeServices() {
        services.forEach(ConfigService::close);
    }

    /** An API with a policy and an operation, two backends, a certificate with its key store. */
    private static TestHome oldState(Path home) throws Exception {
        TestHome test = new TestHome(home)
                .api("a", "a").apiPolicy("a", TestHome.policyUsing("c1", "b1")).operation("a", "o1", "GET", "/x")
                .backend("b1", "https://b1.test")
                .certificate("c1", OLD_THUMBPRINT);
        Files.createDirectories(test.layout.secretCertificatesDir());
        Files.write(test.layout.certificateKeyStore("c1"), TestHome.bytes("old key store"));
        return test;
    }

    /** Replaces the certificate (key store, then metadata), replaces the API whole, moves the backend, adds a policy. */
    private static ConfigChange bigChange(HomeLayout layout) {
        return ConfigChange.create()
                .put(layout.certificateKeyStore("c1"), TestHome.bytes("new key store"))
                .put(layout.certificateInformation("c1"), TestHome.bytes(TestHome.envelope(Map.of(
                        "subject", "CN=c1", "thumbprint", NEW_THUMBPRINT))))
                .deleteTree(layout.apiDir("a"))
                .put(layout.apiInformation("a"), TestHome.bytes(TestHome.envelope(Map.of(
                        "displayName", "a", "path", "a2", "serviceUrl", "https://a2.test"))))
                .put(layout.backendInformation("b2"), TestHome.bytes(TestHome.envelope(Map.of("url", "https://b2.test"))))
                .delete(layout.backendInformation("b1"))
                .put(layout.globalPolicy(), TestHome.bytes(TestHome.policyUsing("c1", "b2")));
    }

    private ConfigService start(Path home, ChangeJournal.Checkpoint checkpoint) {
        ConfigService service = new ConfigService(new HomeLayout(home), MANUAL, checkpoint);
        services.add(service);
        service.start();
        return service;
    }

    private ConfigService start(Path home) {
        return start(home, ChangeJournal.Checkpoint.NONE);
    }

    @Test
    void aCrashAtAnyPointLeavesTheOldStateBeforeTheCommitAndTheNewOneAfterItWhole() throws Exception {
        Path reference = dir.resolve("reference");
        Map<String, String> oldFiles = Crashes.files(oldState(reference).home);
        Crashes.Recorder recorder = new Crashes.Recorder();
        start(reference, recorder).apply(bigChange(new HomeLayout(reference)));
        Map<String, String> newFiles = Crashes.files(reference);
        assertThat(newFiles).isNotEqualTo(oldFiles).doesNotContainKey(".journal");
        assertThat(recorder.points).contains(new Point(ChangeJournal.Phase.STAGED, 5),
                new Point(ChangeJournal.Phase.COMMITTED, 7), new Point(ChangeJournal.Phase.PERFORMED, 7));

        for (Point point : recorder.points) {
            Path home = dir.resolve("crash-" + point.phase() + "-" + point.count());
            HomeLayout layout = oldState(home).layout;
            ConfigService crashing = start(home, Crashes.at(point));
            assertThatThrownBy(() -> crashing.apply(bigChange(layout))).isInstanceOf(SimulatedCrash.class);
            assertThat(Files.exists(layout.journal())).as("journal exists after a crash at %s", point)
                    .isEqualTo(point.committed());

            ConfigService restarted = start(home);

            assertThat(Crashes.files(home)).as("files after a crash at %s and a restart", point)
                    .isEqualTo(point.committed() ? newFiles : oldFiles);
            assertThat(restarted.status().lastError()).isNull();
            assertThat(restarted.current().certificates().get("c1").thumbprint())
                    .isEqualTo(point.committed() ? NEW_THUMBPRINT : OLD_THUMBPRINT);
        }
    }

    @Test
    void aCrashBeforeTheCommitLeavesStagedFilesThatAreOwnerOnlyUnderSecretsAndGoneAfterARestart() throws Exception {
        HomeLayout layout = oldState(dir).layout;
        Map<String, String> before = Crashes.files(dir);
        ConfigService crashing = start(dir, Crashes.at(new Point(ChangeJournal.Phase.STAGED, 5)));
        assertThatThrownBy(() -> crashing.apply(bigChange(layout))).isInstanceOf(SimulatedCrash.class);

        List<String> staged = Crashes.files(dir).keySet().stream().filter(name -> name.endsWith(".staged")).toList();
        assertThat(staged).hasSize(5).anyMatch(name -> name.startsWith("secrets/certificates/.c1.p12."));
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Path stagedKeyStore = dir.resolve(staged.stream().filter(name -> name.startsWith("secrets/")).findFirst()
                    .orElseThrow());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stagedKeyStore))).isEqualTo("rw-------");
        }

        start(dir);

        assertThat(Crashes.files(dir)).isEqualTo(before);
    }

    @Test
    void aChangeCommittedByACrashedWriterIsCompletedBeforeAnotherInstanceLoadsOrWrites() throws Exception {
        HomeLayout layout = oldState(dir).layout;
        ConfigService other = start(dir);
        ConfigService crashing = start(dir, Crashes.at(new Point(ChangeJournal.Phase.PERFORMED, 1)));
        assertThatThrownBy(() -> crashing.apply(bigChange(layout))).isInstanceOf(SimulatedCrash.class);
        assertThat(layout.certificateKeyStore("c1")).hasContent("new key store");
        assertThat(other.current().certificates().get("c1").thumbprint()).isEqualTo(OLD_THUMBPRINT);

        other.apply(ConfigChange.create().put(layout.backendInformation("b3"),
                TestHome.bytes(TestHome.envelope(Map.of("url", "https://b3.test")))));

        assertThat(other.current().certificates().get("c1").thumbprint()).isEqualTo(NEW_THUMBPRINT);
        assertThat(other.current().backends()).containsOnlyKeys("b2", "b3");
        assertThat(other.current().apis().get("a").properties().path()).isEqualTo("a2");
        assertThat(layout.journal()).doesNotExist();
    }

    @Test
    void aCrashWhileCompletingAChangeIsCompletedByTheNextStart() throws Exception {
        Path reference = dir.resolve("reference");
        oldState(reference);
        start(reference).apply(bigChange(new HomeLayout(reference)));
        Path home = dir.resolve("home");
        HomeLayout layout = oldState(home).layout;
        ConfigService crashing = start(home, Crashes.at(new Point(ChangeJournal.Phase.PERFORMED, 3)));
        assertThatThrownBy(() -> crashing.apply(bigChange(layout))).isInstanceOf(SimulatedCrash.class);

        assertThatThrownBy(() -> start(home, Crashes.at(new Point(ChangeJournal.Phase.PERFORMED, 5))))
                .isInstanceOf(SimulatedCrash.class);
        start(home);

        assertThat(Crashes.files(home)).isEqualTo(Crashes.files(reference));
    }

    @Test
    void aJournalAndStagedFilesLeftOnDiskAreReplayedInOrderAndItsDoneStepsSkipped() throws Exception {
        TestHome home = new TestHome(dir).api("old", "old").operation("old", "o", "GET", "/o")
                .backend("b", "https://before.test").backend("gone", "https://gone.test");
        // As a process killed after its first rename leaves it: the API already written, the backend still staged.
        home.api("new", "new");
        home.file("config/backends/b/.backendInformation.json." + UUID + ".staged",
                TestHome.envelope(Map.of("url", "https://after.test")));
        home.file(".journal", """
                {"steps": [
                  {"kind": "PUT", "path": "config/apis/new/apiInformation.json",
                   "staged": "config/apis/new/.apiInformation.json.%1$s.staged"},
                  {"kind": "PUT", "path": "config/backends/b/backendInformation.json",
                   "staged": "config/backends/b/.backendInformation.json.%1$s.staged"},
                  {"kind": "DELETE_TREE", "path": "config/apis/old", "keep": []},
                  {"kind": "DELETE", "path": "config/backends/gone/backendInformation.json"}
                ]}""".formatted(UUID));

        ConfigService service = start(dir);

        assertThat(service.current().apis()).containsOnlyKeys("new");
        assertThat(service.current().backends()).containsOnlyKeys("b");
        assertThat(service.current().backends().get("b").url()).isEqualTo("https://after.test");
        assertThat(home.layout.apiDir("old")).doesNotExist();
        assertThat(Crashes.files(dir).keySet()).noneMatch(name -> name.startsWith(".") || name.contains("/."));
    }

    @Test
    void stagedFilesWithoutAJournalAreRemovedAtStartAndNothingElse() throws Exception {
        TestHome home = new TestHome(dir).backend("b", "https://b.test")
                .file("config/backends/b/.notes.staged", "someone else's, not named like ours");
        Map<String, String> before = Crashes.files(dir);
        home.file("config/backends/b/.backendInformation.json." + UUID + ".staged", "{}");
        home.file("secrets/certificates/.c1.p12." + UUID + ".staged", "key");
        home.file("..journal." + UUID + ".staged", "{\"steps\": [");

        start(dir);

        assertThat(Crashes.files(dir)).isEqualTo(before);
    }

    @Test
    void aDamagedJournalStopsTheStartNamingItAndChangesNothing() throws Exception {
        new TestHome(dir).backend("b", "https://b.test").file(".journal", "{\"steps\": [{\"kind\": \"PU");
        Map<String, String> before = Crashes.files(dir);

        assertThatThrownBy(() -> start(dir)).isInstanceOf(UncheckedIOException.class)
                .cause().hasMessageContaining(".journal").hasMessageContaining("cannot be read");
        assertThat(Crashes.files(dir)).isEqualTo(before);
    }

    @Test
    void aJournalNamingAPathOutsideTheHomeIsRefused() throws Exception {
        Path home = dir.resolve("home");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        new TestHome(home).file(".journal", "{\"steps\": [{\"kind\": \"DELETE_TREE\", \"path\": \"../outside\", "
                + "\"keep\": []}]}");

        assertThatThrownBy(() -> start(home)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside the home");
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void aWriteFailureBeforeTheCommitChangesNothingAndLeavesNoStagedFiles() throws Exception {
        TestHome home = new TestHome(dir).backend("b", "https://b.test").file("data/plain-file", "a file, not a folder");
        Map<String, String> before = Crashes.files(dir);
        ConfigService service = start(dir);

        assertThatThrownBy(() -> service.apply(ConfigChange.create()
                .put(home.layout.backendInformation("new"), TestHome.bytes(TestHome.envelope(Map.of("url", "https://n.test"))))
                .put(home.path("data/plain-file/child"), new byte[1])))
                .isInstanceOfSatisfying(CertgateException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR));

        assertThat(Crashes.files(dir)).isEqualTo(before);
        assertThat(service.current().backends()).containsOnlyKeys("b");
    }

    @Test
    void laterStepsDecideLikeTheValidationOverlay() throws Exception {
        TestHome home = new TestHome(dir).api("a", "a").apiPolicy("a", TestHome.policyUsing("c", "b"))
                .certificate("c", OLD_THUMBPRINT).backend("b", "https://b.test");
        Function<String, byte[]> api = path -> TestHome.bytes(TestHome.envelope(Map.of("displayName", path,
                "path", path, "serviceUrl", "https://s.test")));
        ConfigService service = start(dir);

        service.apply(ConfigChange.create()
                .put(home.layout.apiInformation("x"), api.apply("x"))
                .deleteTree(home.layout.apiDir("x"))
                .put(home.layout.apiInformation("y"), api.apply("first"))
                .put(home.layout.apiInformation("y"), api.apply("y"))
                .delete(home.layout.backendInformation("z"))
                .put(home.layout.backendInformation("z"), TestHome.bytes(TestHome.envelope(Map.of("url", "https://z.test"))))
                .deleteTree(home.layout.apiDir("a"))
                .put(home.layout.apiInformation("a"), api.apply("a2")));

        assertThat(service.current().apis()).containsOnlyKeys("a", "y");
        assertThat(service.current().apis().get("y").properties().path()).isEqualTo("y");
        assertThat(service.current().apis().get("a").properties().path()).isEqualTo("a2");
        assertThat(home.layout.apiPolicy("a")).doesNotExist();
        assertThat(service.current().backends()).containsKey("z");
        assertThat(start(dir).current().apis()).as("what the disk holds").containsOnlyKeys("a", "y");
    }

    @Test
    void aReaderSeesOnlyCompleteOldOrNewContent() throws Exception {
        HomeLayout layout = new HomeLayout(dir);
        ChangeJournal journal = new ChangeJournal(layout, ChangeJournal.Checkpoint.NONE);
        int size = 2 * 1024 * 1024;
        byte[] a = filled(size, (byte) 'a');
        byte[] b = filled(size + 1024, (byte) 'b');
        Path file = layout.certificateKeyStore("large");
        journal.apply(List.of(new ConfigChange.Step(file, a, false)));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<String> torn = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                while (writing.get() || reads.get() == 0) {
                    byte[] seen = Files.readAllBytes(file);
                    reads.incrementAndGet();
                    if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                        torn.add("length " + seen.length + " starting " + (char) seen[0]);
                    }
                }
            } catch (Exception e) {
                torn.add(e.toString());
            }
        });
        reader.start();

        for (int i = 0; i < 50; i++) {
            journal.apply(List.of(new ConfigChange.Step(file, i % 2 == 0 ? b : a, false)));
        }
        writing.set(false);
        reader.join();

        assertThat(torn).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(file).hasBinaryContent(a);
        assertThat(Crashes.files(dir)).containsOnlyKeys("secrets/certificates/large.p12");
    }

    @Test
    void newSecretFoldersAreOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        HomeLayout layout = new HomeLayout(dir);

        new ChangeJournal(layout, ChangeJournal.Checkpoint.NONE)
                .apply(List.of(new ConfigChange.Step(layout.certificateKeyStore("c1"), new byte[] {42}, false)));

        for (Path path : List.of(layout.secretsDir(), layout.secretCertificatesDir())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rwx------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.certificateKeyStore("c1"))))
                .isEqualTo("rw-------");
    }

    private static byte[] filled(int size, byte value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
