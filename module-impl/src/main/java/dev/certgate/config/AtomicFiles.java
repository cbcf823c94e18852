package dev.certgate.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Crash-safe file writes: a reader (or a crash) sees a file either old or new, never half-written.
 * Content goes to a hidden temporary file in the same folder, is flushed to the device, and is renamed
 * over the target; the folder is then synced so the rename itself survives a power cut.
 */
public final class AtomicFiles {
    private static final Set<PosixFilePermission> OWNER_FILE =
            PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_FOLDER =
            PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /** Replaces (or creates) {@code file} atomically, creating missing folders; permissions follow the umask. */
    public static void write(Path file, byte[] content) throws IOException {
        write(file, content, false);
    }

    /**
     * Like {@link #write} for secrets: the file is created 0600 and missing folders 0700 (on POSIX file
     * systems), from the first byte on, so the content is never readable by others even briefly.
     */
    public static void writeSecret(Path file, byte[] content) throws IOException {
        write(file, content, true);
    }

    /** Deletes a file; a missing file is not an error. */
    public static void delete(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            syncFolder(file.getParent());
        }
    }

    /**
     * Deletes a folder and everything in it; a missing folder is not an error. The folder is first renamed
     * to a hidden sibling (which loaders skip), so nobody sees it half-deleted.
     */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        Path doomed = folder.resolveSibling("." + folder.getFileName() + "." + UUID.randomUUID() + ".deleting");
        try {
            Files.move(folder, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            doomed = folder;
        }
        Files.walkFileTree(doomed, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        syncFolder(folder.getParent());
    }

    private static void write(Path file, byte[] content, boolean ownerOnly) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        createFolders(folder, ownerOnly && posix);
        Path temporary = folder.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        FileAttribute<?>[] attributes = ownerOnly && posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
        try {
            try (FileChannel channel = FileChannel.open(temporary,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncFolder(folder);
    }

    private static void createFolders(Path folder, boolean ownerOnly) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (ownerOnly) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
        } else {
            Files.createDirectories(folder);
        }
    }

    /** Makes a rename or deletion durable; best effort, since some systems (Windows) cannot open a folder. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Durability of the rename is then up to the file system; the content itself was forced.
        }
    }
}
