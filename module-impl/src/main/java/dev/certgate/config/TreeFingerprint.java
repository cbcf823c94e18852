package dev.certgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cheap summary of a folder tree (path, size, modification time and file key of every entry) that
 * changes when any file is added, removed or rewritten, without reading a byte of content. The file key
 * (inode) catches an atomic replace that keeps size and time. Links are followed so a Kubernetes
 * ConfigMap's {@code ..data} swap shows; hidden entries (writers' temporary files) are skipped.
 */
final class TreeFingerprint {
    private TreeFingerprint() {
    }

    /**
     * What one walk of several trees saw: each entry by its name (its tree's place in {@code roots}, then its path
     * in that tree; a folder's ends with {@code /}), and their digest.
     */
    record Walk(List<Path> roots, Map<String, String> entries, String digest) {
        /**
         * True when every file outside {@code ours} is as in {@code other}: nobody else added, removed or rewrote a
         * file between the two walks. Folders' own entries are not compared (a file written in one changes it).
         */
        boolean sameOutside(Walk other, List<ConfigChange.Step> ours) {
            List<String> written = new ArrayList<>();
            for (ConfigChange.Step step : ours) {
                String name = name(step.path());
                if (name != null) {
                    written.add(name);
                }
            }
            Set<String> names = new HashSet<>(entries.keySet());
            names.addAll(other.entries.keySet());
            for (String name : names) {
                if (!name.endsWith("/") && !covered(name, written)
                        && !Objects.equals(entries.get(name), other.entries.get(name))) {
                    return false;
                }
            }
            return true;
        }

        private String name(Path path) {
            for (int i = 0; i < roots.size(); i++) {
                if (path.startsWith(roots.get(i))) {
                    return i + ":" + roots.get(i).relativize(path);
                }
            }
            return null;
        }

        /** A file a step wrote or deleted, or one inside a folder a step deleted. */
        private static boolean covered(String name, List<String> written) {
            for (String step : written) {
                if (name.equals(step) || name.startsWith(step + "/")) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One summary of several trees. */
    static String of(List<Path> roots) {
        return walk(roots).digest();
    }

    static Walk walk(List<Path> roots) {
        Map<String, String> entries = new TreeMap<>();
        for (int i = 0; i < roots.size(); i++) {
            String tree = i + ":";
            collect(roots.get(i), entries, tree);
        }
        return new Walk(List.copyOf(roots), entries, digest(entries));
    }

    private static void collect(Path root, Map<String, String> entries, String tree) {
        if (Files.isDirectory(root)) {
            try {
                Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                        new SimpleFileVisitor<>() {
                            @Override
                            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                                if (!dir.equals(root) && hidden(dir)) {
                                    return FileVisitResult.SKIP_SUBTREE;
                                }
                                entries.put(tree + root.relativize(dir) + "/", describe(attributes));
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                                if (!hidden(file)) {
                                    entries.put(tree + root.relativize(file), describe(attributes));
                                }
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFileFailed(Path file, IOException e) {
                                // Deleted while walking, a link loop, no permission: the loader reports what matters.
                                entries.put(tree + root.relativize(file), "failed " + e.getClass().getSimpleName());
                                return FileVisitResult.CONTINUE;
                            }
                        });
            } catch (IOException e) {
                entries.put(tree, "failed " + e.getClass().getSimpleName());
            }
        }
    }

    private static boolean hidden(Path path) {
        return path.getFileName() != null && path.getFileName().toString().startsWith(".");
    }

    private static String describe(BasicFileAttributes attributes) {
        return attributes.size() + " " + attributes.lastModifiedTime().toMillis() + "."
                + attributes.lastModifiedTime().toInstant().getNano() + " " + attributes.fileKey();
    }

    private static String digest(Map<String, String> entries) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            entries.forEach((path, description) ->
                    sha.update((path + '\0' + description + '\n').getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
