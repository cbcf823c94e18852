package dev.certgate.config;

import dev.certgate.api.model.CertificateProperties;
import dev.certgate.certs.CertificateStore;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.certs.MasterKey;
import dev.certgate.config.Crashes.Point;
import dev.certgate.config.Crashes.SimulatedCrash;
import dev.certgate.testsupport.TestPki;
import dev.certgate.testsupport.TestPki.Issued;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static dev.certgate.config.NoPreconditions.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A certificate replaced under the same id, with the process dying at every point of the write. */
class CertificateReplaceCrashTest {
    private static final ConfigService.Settings MANUAL =
            new ConfigService.Settings(false, Duration.ofHours(1), Duration.ofMillis(50));
    private static final String PASSWORD = "Upload-Password-9";
    private static final Issued CA = TestPki.selfSigned(TestPki.spec().subject("CN=Crash CA").ca().ec());
    private static final Issued A = TestPki.issue(CA, TestPki.spec().subject("CN=a").ec().clientAuth());
    private static final Issued B = TestPki.issue(CA, TestPki.spec().subject("CN=b").ec().clientAuth());

    @TempDir
    Path dir;

    @Test
    void afterACrashAtAnyPointOfAReplaceTheCertificateIsAWholeOrBWhole() {
        Crashes.Recorder recorder = new Crashes.Recorder();
        replaceAfterUploading(dir.resolve("reference"), recorder);
        // The key store is written first: PERFORMED 1 is "the new .p12 in place, the old metadata still there".
        assertThat(recorder.points).containsExactly(new Point(ChangeJournal.Phase.STAGED, 1),
                new Point(ChangeJournal.Phase.STAGED, 2), new Point(ChangeJournal.Phase.COMMITTED, 2),
                new Point(ChangeJournal.Phase.PERFORMED, 1), new Point(ChangeJournal.Phase.PERFORMED, 2));

        for (Point point : recorder.points) {
            Path home = dir.resolve("crash-" + point.phase() + "-" + point.count());
            assertThatThrownBy(() -> replaceAfterUploading(home, Crashes.at(point))).isInstanceOf(SimulatedCrash.class);

            HomeLayout layout = new HomeLayout(home);
            try (ConfigService restarted = new ConfigService(layout, MANUAL)) {
                restarted.start();
                CertificateStore store = new CertificateStore(restarted, MasterKey.loadOrCreate(layout, Map.of()));

                Issued expected = point.committed() ? B : A;
                CertificateProperties metadata = store.get("c1").orElseThrow();
                KeyMaterial key = store.keys().keyMaterial("c1").orElseThrow(
                        () -> new AssertionError("no usable key for c1 after a crash at " + point));
                assertThat(key.chain()).as("chain after a crash at %s", point).containsExactlyElementsOf(expected.chain());
                // Compared as a flag, so a failure never prints key bytes.
                assertThat(Arrays.equals(key.privateKey().getEncoded(), expected.privateKey().getEncoded()))
                        .as("the private key belongs to the certificate after a crash at %s", point).isTrue();
                assertThat(key.thumbprint()).isEqualTo(metadata.thumbprint());
                assertThat(metadata.subject()).isEqualTo(expected.certificate().getSubjectX500Principal().toString());
            }
            assertThat(Crashes.files(home).keySet()).as("files after a crash at %s", point)
                    .noneMatch(name -> name.endsWith(".staged") || name.equals(".journal"));
        }
    }

    /** Uploads A on a fresh home, then replaces it with B through a service with {@code checkpoint}. */
    private static void replaceAfterUploading(Path home, ChangeJournal.Checkpoint checkpoint) {
        HomeLayout layout = new HomeLayout(home);
        MasterKey masterKey = MasterKey.loadOrCreate(layout, Map.of());
        try (ConfigService config = new ConfigService(layout, MANUAL)) {
            config.start();
            new CertificateStore(config, masterKey).put("c1", A.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        }
        try (ConfigService config = new ConfigService(layout, MANUAL, checkpoint)) {
            config.start();
            new CertificateStore(config, masterKey).put("c1", B.pkcs12(PASSWORD), PASSWORD.toCharArray(), NONE);
        }
    }
}
