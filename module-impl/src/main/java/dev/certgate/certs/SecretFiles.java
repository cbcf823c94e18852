package dev.certgate.certs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Owner-only files and folders under {@code secrets/} (0700 / 0600). On file systems without POSIX
 * permissions (Windows) the checks are skipped: there the folder's ACL is the operator's to set.
 */
final class SecretFiles {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecretFiles() {
    }

    /** Creates {@code dir} (0700) if missing; its parents must exist or are created with default permissions. */
    static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir, ownerOnly("rwx------", dir));
            }
        } catch (FileAlreadyExistsException e) {
            // another instance sharing the home created it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /**
     * Writes {@code content} to {@code target} (0600) unless it exists, atomically: the content is complete in
     * a temporary file before it appears under its name, and an existing file (another instance won the race)
     * is never replaced. Returns whether this call created it.
     */
    static boolean createFile(Path target, byte[] content) {
        Path temporary = null;
        try {
            temporary = Files.createTempFile(target.getParent(), ".new-", ".tmp", ownerOnly("rw-------", target));
            Files.write(temporary, content);
            try {
                // link() fails if the name exists, where a plain rename would replace it.
                Files.createLink(target, temporary);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException e) {
                Files.move(temporary, target);
                temporary = null;
                return true;
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target, e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Refuses (with the command that fixes it) any of {@code paths}, or anything inside {@code folder}, that
     * group or others may access.
     */
    static void requireOwnerOnly(Path folder, Path... paths) {
        List<String> problems = new ArrayList<>();
        List<Path> all = new ArrayList<>(List.of(paths));
        if (Files.isDirectory(folder)) {
            try {
                Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        all.add(dir);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        all.add(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (e instanceof NoSuchFileException) {
                            return FileVisitResult.CONTINUE; // another instance's temporary file, renamed meanwhile
                        }
                        throw e;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + folder, e);
            }
        }
        for (Path path : all) {
            Set<PosixFilePermission> permissions = permissions(path);
            if (permissions != null && permissions.stream().anyMatch(OTHERS::contains)) {
                boolean dir = Files.isDirectory(path);
                problems.add(path + " has permissions " + PosixFilePermissions.toString(permissions)
                        + "; fix: chmod " + (dir ? "700 " : "600 ") + path);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Secrets must be readable by their owner only. " + String.join("; ", problems));
        }
    }

    private static Set<PosixFilePermission> permissions(Path path) {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            return null;
        }
        try {
            return view.readAttributes().permissions();
        } catch (NoSuchFileException gone) {
            return null; // renamed or deleted since it was listed (another instance writing): nothing to check
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + path, e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(String permissions, Path near) {
        boolean posix = Files.getFileAttributeView(near.getParent(), PosixFileAttributeView.class) != null;
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a leftover temporary file holds a key nobody uses; the next start tolerates it
            }
        }
    }
}
