package dev.certgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeNewNeverOverwritesAndIsOwnerOnlyFromTheStartWhenAsked() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path secret = dir.resolve("secret");
        Path plain = dir.resolve("plain");

        AtomicFiles.writeNew(secret, new byte[] {42}, true);
        AtomicFiles.writeNew(plain, new byte[] {7}, false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(secret).hasBinaryContent(new byte[] {42});
        assertThatThrownBy(() -> AtomicFiles.writeNew(plain, new byte[] {8}, false))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(plain).hasBinaryContent(new byte[] {7});
    }

    @Test
    void createFoldersReportsTheFoldersItCreatedTopDownOwnerOnlyWhenAsked() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Files.createDirectories(dir.resolve("secrets"));

        assertThat(AtomicFiles.createFolders(dir.resolve("secrets/a/b"), true))
                .containsExactly(dir.resolve("secrets/a"), dir.resolve("secrets/a/b"));
        assertThat(AtomicFiles.createFolders(dir.resolve("secrets/a/b"), true)).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets/a"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets/a/b"))))
                .isEqualTo("rwx------");
    }

    @Test
    void replaceSwapsTheContentUnderTheTargetsName() throws Exception {
        Path target = dir.resolve("target");
        Path source = dir.resolve(".target.new");
        Files.writeString(target, "old");
        Files.writeString(source, "new");

        AtomicFiles.replace(source, target);

        assertThat(target).hasContent("new");
        assertThat(source).doesNotExist();
    }
}
