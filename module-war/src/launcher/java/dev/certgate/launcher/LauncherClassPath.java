package dev.certgate.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The embedded server's class path, taken out of the WAR: {@code WEB-INF/launcher/lib/*.jar} (Jetty) and
 * {@code WEB-INF/launcher/classes} (the launcher's server side), which app servers ignore. With
 * {@code --demo} also the WAR's own Bouncy Castle jars from {@code WEB-INF/lib}, so the demo can make its
 * certificates without the WAR carrying Bouncy Castle twice. Everything lives in one temporary folder,
 * removed by {@link #close()}.
 */
public final class LauncherClassPath implements AutoCloseable {
    static final String LAUNCHER_FOLDER = "WEB-INF/launcher/";
    private static final Pattern BOUNCY_CASTLE = Pattern.compile("WEB-INF/lib/bc(prov|pkix|util)-[^/]+\\.jar");

    private final Path workDirectory;
    private final URLClassLoader loader;

    private LauncherClassPath(Path workDirectory, URLClassLoader loader) {
        this.workDirectory = workDirectory;
        this.loader = loader;
    }

    /** Extracts what the embedded server needs from {@code war} into a new temporary folder. */
    public static LauncherClassPath extract(Path war, boolean withBouncyCastle) throws IOException {
        Path work = Files.createTempDirectory("certgate-");
        try (ZipFile zip = new ZipFile(war.toFile())) {
            Path launcher = work.resolve("launcher");
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                if (name.startsWith(LAUNCHER_FOLDER)) {
                    copy(zip, entry, launcher.resolve(name.substring(LAUNCHER_FOLDER.length())), work);
                } else if (withBouncyCastle && BOUNCY_CASTLE.matcher(name).matches()) {
                    copy(zip, entry, launcher.resolve("lib").resolve(name.substring(name.lastIndexOf('/') + 1)), work);
                }
            }
            List<URL> urls = new ArrayList<>();
            urls.add(url(launcher.resolve("classes")));
            try (Stream<Path> jars = Files.list(launcher.resolve("lib"))) {
                for (Path jar : (Iterable<Path>) jars.sorted()::iterator) {
                    urls.add(url(jar));
                }
            }
            URLClassLoader loader = new URLClassLoader("certgate-launcher", urls.toArray(new URL[0]),
                    LauncherClassPath.class.getClassLoader());
            return new LauncherClassPath(work, loader);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(work);
            throw e;
        }
    }

    /** The loader over Jetty and the launcher's server classes; its parent sees the WAR root. */
    public ClassLoader loader() {
        return loader;
    }

    /** The temporary folder; the embedded server unpacks the web application below it too. */
    public Path workDirectory() {
        return workDirectory;
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            // the files go anyway: on POSIX an open jar can be deleted
        }
        deleteRecursively(workDirectory);
    }

    private static void copy(ZipFile zip, ZipEntry entry, Path target, Path work) throws IOException {
        Path normalized = target.normalize();
        if (!normalized.startsWith(work)) {
            throw new IOException("refusing WAR entry outside the launcher folder: " + entry.getName());
        }
        Files.createDirectories(normalized.getParent());
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, normalized);
        }
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a temporary folder left behind is harmless
        }
    }
}
