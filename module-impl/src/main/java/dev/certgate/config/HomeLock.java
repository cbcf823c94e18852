package dev.certgate.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The home's write lock: serialises writers (and loads) across threads and across processes sharing the
 * home, so two gateways never interleave a multi-file change. Threads queue on a {@link ReentrantLock}
 * shared by every HomeLock of the same lock file in this JVM (a JVM may hold only one OS lock per file);
 * the thread that gets it then takes the OS lock ({@link FileChannel#lock()}) against other processes.
 * The OS releases that lock if the process dies, so a crash never leaves the home locked.
 */
public final class HomeLock {
    private static final ConcurrentMap<Path, PerFile> LOCKS = new ConcurrentHashMap<>();

    /** The lock state of one lock file in this JVM; the OS lock fields belong to the thread holding {@code threads}. */
    private static final class PerFile {
        final ReentrantLock threads = new ReentrantLock(true);
        FileChannel channel;
        FileLock osLock;
    }

    private final Path lockFile;
    private final PerFile state;

    public HomeLock(Path lockFile) {
        this.lockFile = lockFile.toAbsolutePath().normalize();
        this.state = LOCKS.computeIfAbsent(this.lockFile, path -> new PerFile());
    }

    /** What {@link #acquire()} returns: closing it (once) releases the lock. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Blocks until this thread holds the lock in this JVM and this JVM holds it on the home. Reentrant. */
    public Held acquire() {
        state.threads.lock();
        if (state.threads.getHoldCount() == 1) {
            try {
                lockFile();
            } catch (IOException e) {
                state.threads.unlock();
                throw new UncheckedIOException("cannot lock " + lockFile, e);
            } catch (RuntimeException e) {
                state.threads.unlock();
                throw e;
            }
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release();
            }
        };
    }

    public boolean isHeldByCurrentThread() {
        return state.threads.isHeldByCurrentThread();
    }

    private void lockFile() throws IOException {
        FileChannel opened = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            state.osLock = lockAcrossClassLoaders(opened);
            state.channel = opened;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /**
     * FileChannel.lock() blocks while another process holds the file, but throws OverlappingFileLockException
     * while another channel of this JVM does: a second web application on the same home, whose class loader
     * has its own copy of this class. Wait for it the same way.
     */
    private static FileLock lockAcrossClassLoaders(FileChannel channel) throws IOException {
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException heldElsewhereInThisJvm) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FileLockInterruptionException();
                }
            }
        }
    }

    private void release() {
        try {
            if (state.threads.getHoldCount() == 1) {
                // Closing the channel releases the OS lock too, even if release() failed.
                try (FileChannel channel = state.channel) {
                    state.osLock.release();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot unlock " + lockFile, e);
                } finally {
                    state.osLock = null;
                    state.channel = null;
                }
            }
        } finally {
            state.threads.unlock();
        }
    }
}
