package dev.certgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aReaderSeesOnlyCompleteOldOrNewContent() throws Exception {
        int size = 2 * 1024 * 1024;
        byte[] a = filled(size, (byte) 'a');
        byte[] b = filled(size + 1024, (byte) 'b');
        Path file = dir.resolve("large.json");
        AtomicFiles.write(file, a);
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

        for (int i = 0; i < 100; i++) {
            AtomicFiles.write(file, i % 2 == 0 ? b : a);
        }
        writing.set(false);
        reader.join();

        assertThat(torn).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(file).hasBinaryContent(a);
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void writeCreatesMissingFolders() throws Exception {
        Path file = dir.resolve("config/apis/a/apiInformation.json");

        AtomicFiles.write(file, TestHome.bytes("{}"));

        assertThat(file).hasContent("{}");
    }

    @Test
    void secretsAreOwnerOnlyFromTheStart() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path secret = dir.resolve("secrets/certificates/c1.p12");
        Files.createDirectories(secret.getParent().getParent());
        Files.setPosixFilePermissions(secret.getParent().getParent(), PosixFilePermissions.fromString("rwx------"));
        Path replaced = dir.resolve("secrets/admin.password");
        Files.writeString(replaced, "old");
        Files.setPosixFilePermissions(replaced, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFiles.writeSecret(secret, new byte[] {42});
        AtomicFiles.writeSecret(replaced, TestHome.bytes("new"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(replaced))).isEqualTo("rw-------");
        assertThat(replaced).hasContent("new");
    }

    @Test
    void deleteTreeRemovesEverythingAndToleratesMissingFolders() throws Exception {
        Path api = dir.resolve("apis/a");
        AtomicFiles.write(api.resolve("apiInformation.json"), new byte[1]);
        AtomicFiles.write(api.resolve("operations/o/operationInformation.json"), new byte[1]);

        AtomicFiles.deleteTree(api);
        AtomicFiles.deleteTree(api);
        AtomicFiles.delete(dir.resolve("apis/none.json"));

        try (Stream<Path> left = Files.list(dir.resolve("apis"))) {
            assertThat(left).isEmpty();
        }
    }

    private static byte[] filled(int size, byte value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
