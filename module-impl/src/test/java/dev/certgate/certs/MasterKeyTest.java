package dev.certgate.certs;

import dev.certgate.config.HomeLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {
    @TempDir
    Path temp;

    @Test
    void firstStartGeneratesAnOwnerOnlyKeyInOwnerOnlyFolders() throws Exception {
        HomeLayout layout = new HomeLayout(temp.resolve("home"));

        MasterKey.loadOrCreate(layout, Map.of());

        assertThat(Files.readAllBytes(layout.masterKey())).hasSize(32);
        assertThat(permissions(layout.masterKey())).isEqualTo("rw-------");
        assertThat(permissions(layout.secretsDir())).isEqualTo("rwx------");
        assertThat(permissions(layout.secretCertificatesDir())).isEqualTo("rwx------");
    }

    @Test
    void laterStartsReuseTheKeySoDerivedPasswordsStayTheSame() {
        HomeLayout layout = new HomeLayout(temp.resolve("home"));
        char[] first = MasterKey.loadOrCreate(layout, Map.of()).derivePassword("certificates/c1.p12");

        char[] second = MasterKey.loadOrCreate(layout, Map.of()).derivePassword("certificates/c1.p12");

        assertThat(second).isEqualTo(first);
    }

    @Test
    void eachPurposeAndEachHomeGetsItsOwnPassword() {
        MasterKey one = MasterKey.loadOrCreate(new HomeLayout(temp.resolve("one")), Map.of());
        MasterKey other = MasterKey.loadOrCreate(new HomeLayout(temp.resolve("other")), Map.of());

        assertThat(one.derivePassword("certificates/a.p12")).isNotEqualTo(one.derivePassword("certificates/b.p12"));
        assertThat(one.derivePassword("certificates/a.p12")).isNotEqualTo(other.derivePassword("certificates/a.p12"));
        assertThat(one.derivePassword("certificates/a.p12")).hasSize(64);
    }

    @Test
    void aKeyFileNamedByTheEnvironmentIsUsedInsteadOfGeneratingOne() throws Exception {
        Path external = temp.resolve("mounted.key");
        Files.write(external, new byte[32]);
        Files.setPosixFilePermissions(external, PosixFilePermissions.fromString("r--------"));
        HomeLayout layout = new HomeLayout(temp.resolve("home"));
        HomeLayout sameKey = new HomeLayout(temp.resolve("second-home"));

        MasterKey key = MasterKey.loadOrCreate(layout, Map.of(MasterKey.FILE_VARIABLE, external.toString()));

        assertThat(layout.masterKey()).doesNotExist();
        assertThat(key.derivePassword("x"))
                .isEqualTo(MasterKey.loadOrCreate(sameKey, Map.of(MasterKey.FILE_VARIABLE, external.toString()))
                        .derivePassword("x"));
    }

    @Test
    void aKeyReadableByOthersIsRefusedWithTheCommandThatFixesIt() throws Exception {
        HomeLayout layout = new HomeLayout(temp.resolve("home"));
        MasterKey.loadOrCreate(layout, Map.of());
        String keyHex = HexFormat.of().formatHex(Files.readAllBytes(layout.masterKey()));
        Files.setPosixFilePermissions(layout.masterKey(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> MasterKey.loadOrCreate(layout, Map.of()))
                .hasMessageContaining("chmod 600 " + layout.masterKey())
                .satisfies(e -> assertThat(e.getMessage().toLowerCase()).doesNotContain(keyHex));
    }

    @Test
    void anOpenSecretsFolderIsRefusedWithTheCommandThatFixesIt() throws Exception {
        HomeLayout layout = new HomeLayout(temp.resolve("home"));
        MasterKey.loadOrCreate(layout, Map.of());
        Files.setPosixFilePermissions(layout.secretCertificatesDir(), PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> MasterKey.loadOrCreate(layout, Map.of()))
                .hasMessageContaining("chmod 700 " + layout.secretCertificatesDir());
    }

    /** A second instance starting while another writes: temporary key files come and go during the check. */
    @Test
    void secretFilesRenamedAwayWhileTheStartChecksPermissionsDoNotStopTheStart() throws Exception {
        HomeLayout layout = new HomeLayout(temp.resolve("home"));
        MasterKey.loadOrCreate(layout, Map.of());
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread peer = new Thread(() -> {
            for (int i = 0; writing.get(); i++) {
                Path staged = layout.secretCertificatesDir().resolve(".id.p12." + i + ".staged");
                SecretFiles.createFile(staged, new byte[] {1});
                try {
                    Files.delete(staged);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, "peer-instance-writing");
        peer.start();
        try {
            for (int i = 0; i < 2000; i++) {
                MasterKey.loadOrCreate(layout, Map.of());
            }
        } finally {
            writing.set(false);
            peer.join();
        }
        assertThatCode(() -> SecretFiles.requireOwnerOnly(layout.secretsDir(),
                layout.secretCertificatesDir().resolve("renamed-away.p12"))).doesNotThrowAnyException();
    }

    @Test
    void anExternalKeyReadableByOthersIsRefused() throws Exception {
        Path external = temp.resolve("mounted.key");
        Files.write(external, new byte[32]);
        Files.setPosixFilePermissions(external, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> MasterKey.loadOrCreate(new HomeLayout(temp.resolve("home")),
                Map.of(MasterKey.FILE_VARIABLE, external.toString())))
                .hasMessageContaining("chmod 600 " + external);
    }

    @Test
    void aKeyOfTheWrongLengthOrAMissingFileIsRefused() throws Exception {
        Path shortKey = temp.resolve("short.key");
        Files.write(shortKey, new byte[16]);
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> MasterKey.loadOrCreate(new HomeLayout(temp.resolve("a")),
                Map.of(MasterKey.FILE_VARIABLE, shortKey.toString())))
                .hasMessageContaining("exactly 32 bytes");
        assertThatThrownBy(() -> MasterKey.loadOrCreate(new HomeLayout(temp.resolve("b")),
                Map.of(MasterKey.FILE_VARIABLE, temp.resolve("missing.key").toString())))
                .hasMessageContaining(MasterKey.FILE_VARIABLE);
    }

    @Test
    void toStringRevealsNothing() {
        assertThat(MasterKey.loadOrCreate(new HomeLayout(temp.resolve("home")), Map.of()))
                .hasToString("MasterKey[redacted]");
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
