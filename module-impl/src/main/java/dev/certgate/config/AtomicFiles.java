package dev.certgate.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The file-system primitives of crash-safe writes, used by {@link ChangeJournal}: a new file whose content is
 * on the device before anyone can rename it into place, an atomic rename over a target, folders created
 * owner-only where secrets go, and forcing a folder so a rename or deletion in it survives a power cut.
 */
final class AtomicFiles {
    private static final Set<PosixFilePermission> OWNER_FILE =
            PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_FOLDER =
            PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /**
     * Creates {@code file}, which must not exist, with {@code content} forced to the device; owner-only (0600) from
     * creation when asked, on POSIX file systems.
     */
    static void writeNew(Path file, byte[] content, boolean ownerOnly) throws IOException {
        FileAttribute<?>[] attributes = ownerOnly && posix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Renames {@code source} over {@code target} in one step where the file system can (all POSIX ones). */
    static void replace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Creates the missing folders of {@code folder} (0700 when asked, on POSIX), returning them top-down. */
    static List<Path> createFolders(Path folder, boolean ownerOnly) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path dir = folder; dir != null && !Files.isDirectory(dir); dir = dir.getParent()) {
            missing.add(0, dir);
        }
        FileAttribute<?>[] attributes = ownerOnly && posix(folder)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FOLDER)}
                : new FileAttribute<?>[0];
        List<Path> created = new ArrayList<>();
        for (Path dir : missing) {
            try {
                Files.createDirectory(dir, attributes);
                created.add(dir);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /** Makes a rename or deletion durable; best effort, since some systems (Windows) cannot open a folder. */
    static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Durability of the rename is then up to the file system; the content itself was forced.
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
