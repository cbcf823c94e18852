package dev.certgate.config;

import dev.certgate.certs.CertificateStore;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.certs.MasterKey;
import dev.certgate.testsupport.TestPki;
import dev.certgate.testsupport.TestPki.Issued;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.certgate.config.NoPreconditions.NONE;
import static org.assertj.core.api.Assertions.assertThat;

/** A real crash: a JVM writing the home is killed (SIGKILL) at a random moment, twice over. */
class KillDuringWritesTest {
    private static final ConfigService.Settings MANUAL =
            new ConfigService.Settings(false, Duration.ofHours(1), Duration.ofMillis(50));
    private static final String PASSWORD = "Writer-Password-1";

    @TempDir
    Path home;
    @TempDir
    Path files;

    @Test
    void aWriterKilledAtRandomLeavesAValidHomeWhoseEveryKeyMatchesItsMetadata() throws Exception {
        HomeLayout layout = new HomeLayout(home);
        MasterKey masterKey = MasterKey.loadOrCreate(layout, Map.of());
        prepareUploads(layout, masterKey);
        for (int round = 1; round <= 2; round++) {
            Files.deleteIfExists(files.resolve("running"));
            Path log = files.resolve("writer-" + round + ".log");
            Process writer = startWriter(log);
            try {
                TestHome.await(Duration.ofSeconds(60), "the writer has written",
                        () -> Files.exists(files.resolve("running")) || !writer.isAlive());
                // Where the kill lands is random; the deterministic tests cover every point one by one.
                Thread.sleep(ThreadLocalRandom.current().nextInt(10, 300));
                assertThat(writer.isAlive()).as("the writer still runs; its log: %s", Files.readString(log)).isTrue();
            } finally {
                writer.destroyForcibly();
                assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }

            try (ConfigService config = new ConfigService(layout, MANUAL)) {
                config.start();
                assertThat(config.status().lastError()).as("round %d", round).isNull();
                GatewaySnapshot snapshot = config.current();
                assertThat(snapshot.apis()).as("the API tree is replaced whole by each change").hasSize(1);
                assertThat(snapshot.certificates()).hasSize(HomeWriterProcess.CERTIFICATES);
                CertificateStore store = new CertificateStore(config, masterKey);
                snapshot.certificates().forEach((id, metadata) -> {
                    KeyMaterial key = store.keys().keyMaterial(id).orElseThrow(
                            () -> new AssertionError("certificate " + id + " has no usable key after the kill"));
                    assertThat(key.thumbprint()).isEqualTo(metadata.thumbprint());
                });
            }
            assertThat(Crashes.files(home).keySet()).noneMatch(name -> name.endsWith(".staged") || name.equals(".journal"));
        }
    }

    /** Uploads two certificates under each id with the real store, keeping the files each upload wrote. */
    private void prepareUploads(HomeLayout layout, MasterKey masterKey) throws Exception {
        Issued ca = TestPki.selfSigned(TestPki.spec().subject("CN=Writer CA").ca().ec());
        List<Issued> versions = List.of(TestPki.issue(ca, TestPki.spec().subject("CN=one").ec().clientAuth()),
                TestPki.issue(ca, TestPki.spec().subject("CN=two").ec().clientAuth()));
        try (ConfigService config = new ConfigService(layout, MANUAL)) {
            config.start();
            CertificateStore store = new CertificateStore(config, masterKey);
            for (int version = 0; version < versions.size(); version++) {
                for (int c = 0; c < HomeWriterProcess.CERTIFICATES; c++) {
                    String id = "c" + c;
                    store.put(id, versions.get(version).pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
                    Files.copy(layout.certificateKeyStore(id), files.resolve(id + "-" + version + ".p12"));
                    Files.copy(layout.certificateInformation(id), files.resolve(id + "-" + version + ".json"));
                }
            }
        }
    }

    private Process startWriter(Path log) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classPath, HomeWriterProcess.class.getName(), home.toString(),
                files.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
