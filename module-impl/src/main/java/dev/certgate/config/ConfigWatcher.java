package dev.certgate.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices changes under a folder and calls back once they have settled. Two sources: a WatchService
 * registered on every folder of the tree (new folders registered as they appear), and a periodic
 * re-scan of the tree's {@link TreeFingerprint} for file systems where watching does not work (NFS,
 * some container volumes, macOS's polling watcher). A burst of changes (an editor's save, a
 * {@code git pull}) is debounced: the callback runs once the fingerprint stayed the same for the
 * quiet period, so a half-done burst is not loaded.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    static final String THREAD_NAME = "certgate-config-watch";

    /** The folders whose files the loader reads: config/, and the key stores and sealed values in secrets/. */
    private final List<Path> roots;
    private final ConfigService.Settings settings;
    /** Called with the settled tree's fingerprint. */
    private final Consumer<String> onSettledChange;
    private final Thread thread;
    private final Map<WatchKey, Path> watched = new HashMap<>();
    private final Set<Path> watchedFolders = new HashSet<>();
    private WatchService watchService;
    private volatile boolean running = true;
    /** Wakes the loop when closing; the thread is never interrupted, since an interrupt would close file channels mid-load. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** State of the loop thread only. */
    private String lastSeen;
    private boolean pending;
    private long quietSince;
    private String settling;

    ConfigWatcher(List<Path> roots, ConfigService.Settings settings, Consumer<String> onSettledChange) {
        this.roots = List.copyOf(roots);
        this.settings = settings;
        this.onSettledChange = onSettledChange;
        this.thread = new Thread(this::run, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    /** Starts watching; {@code loadedFingerprint} is what the last load saw, so earlier changes are not missed. */
    void start(String loadedFingerprint) {
        lastSeen = loadedFingerprint;
        if (settings.watch()) {
            try {
                watchService = roots.get(0).getFileSystem().newWatchService();
                registerTree();
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warn("Cannot watch {} ({}); relying on the re-scan every {}", roots, e, settings.rescanInterval());
                watchService = null;
            }
        }
        thread.start();
    }

    private void run() {
        long rescanNanos = settings.rescanInterval().toNanos();
        long debounceNanos = settings.debounce().toNanos();
        long nextRescan = System.nanoTime() + rescanNanos;
        while (running) {
            try {
                long now = System.nanoTime();
                long wake = pending ? Math.min(nextRescan, quietSince + debounceNanos) : nextRescan;
                if (waitForEvents(Math.max(1, wake - now))) {
                    pending = true;
                    quietSince = System.nanoTime();
                }
                now = System.nanoTime();
                if (now - nextRescan >= 0) {
                    nextRescan = now + rescanNanos;
                    rescan(now);
                }
                if (pending && now - quietSince >= debounceNanos) {
                    settle(now);
                }
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.error("Configuration watch failed; continuing", e);
                }
            }
        }
    }

    /** Waits up to {@code nanos}; true if the WatchService reported anything. */
    private boolean waitForEvents(long nanos) throws InterruptedException {
        if (watchService == null) {
            stopped.await(nanos, TimeUnit.NANOSECONDS);
            return false;
        }
        WatchKey key = watchService.poll(nanos, TimeUnit.NANOSECONDS);
        if (key == null) {
            return false;
        }
        while (key != null) {
            drain(key);
            key = watchService.poll();
        }
        return true;
    }

    private void drain(WatchKey key) {
        Path dir = watched.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                registerTree();
            } else if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && dir != null
                    && Files.isDirectory(dir.resolve((Path) event.context()))) {
                register(dir.resolve((Path) event.context()));
            }
        }
        if (!key.reset()) {
            watchedFolders.remove(watched.remove(key));
        }
    }

    private void rescan(long now) {
        if (watchService != null) {
            registerTree();
        }
        String fingerprint = TreeFingerprint.of(roots);
        if (!pending && !fingerprint.equals(lastSeen)) {
            pending = true;
            quietSince = now;
            settling = fingerprint;
        }
    }

    /** Calls back once the tree has stopped changing: two fingerprints one quiet period apart agree. */
    private void settle(long now) {
        String fingerprint = TreeFingerprint.of(roots);
        if (fingerprint.equals(lastSeen)) {
            pending = false;
            settling = null;
        } else if (fingerprint.equals(settling)) {
            pending = false;
            settling = null;
            onSettledChange.accept(fingerprint);
            // Only after the callback succeeded: a failed reload (lock, I/O) is retried by the next re-scan.
            lastSeen = fingerprint;
        } else {
            settling = fingerprint;
            quietSince = now;
        }
    }

    private void registerTree() {
        roots.stream().filter(Files::isDirectory).forEach(this::register);
    }

    /** Registers {@code start} and every folder below it that is not watched yet. */
    private void register(Path start) {
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    // Hidden folders (.git, a writer's folder being deleted) hold nothing the loader reads.
                    if (!dir.equals(start) && dir.getFileName().toString().startsWith(".")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (watchedFolders.add(dir)) {
                        try {
                            watched.put(dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY), dir);
                        } catch (IOException e) {
                            watchedFolders.remove(dir);
                            LOG.debug("Cannot watch {}; the re-scan covers it: {}", dir, e.toString());
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("Cannot register {} for watching; the re-scan covers it: {}", start, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        stopped.countDown();
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debug("Closing the watch service: {}", e.toString());
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
