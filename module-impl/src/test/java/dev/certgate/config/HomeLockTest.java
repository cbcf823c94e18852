package dev.certgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HomeLockTest {
    @TempDir
    Path home;
    @TempDir
    Path signals;

    @Test
    void anotherProcessHoldingTheLockMakesThisOneWait() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, HomeLockHolder.class.getName(), home.toString(), signals.toString())
                .redirectErrorStream(true).redirectOutput(signals.resolve("holder.log").toFile()).start();
        try {
            TestHome.await(Duration.ofSeconds(30), "the other process holds the lock",
                    () -> Files.exists(signals.resolve("held")));

            CompletableFuture<Boolean> releasedBeforeWeGotIt = CompletableFuture.supplyAsync(() -> {
                try (HomeLock.Held held = new HomeLock(new HomeLayout(home).writeLock()).acquire()) {
                    return Files.exists(signals.resolve("released"));
                }
            });
            // Give the waiter time to block on the OS lock; the outcome does not depend on this pause being long enough.
            Thread.sleep(300);
            assertThat(releasedBeforeWeGotIt).isNotDone();
            Files.createFile(signals.resolve("release"));

            assertThat(releasedBeforeWeGotIt.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.exitValue()).as(Files.readString(signals.resolve("holder.log"))).isZero();
        } finally {
            holder.destroy();
        }
    }

    @Test
    void twoLocksOnOneHomeInOneJvmExcludeEachOtherAndAreReentrant() throws Exception {
        HomeLock first = new HomeLock(new HomeLayout(home).writeLock());
        HomeLock second = new HomeLock(new HomeLayout(home).writeLock());
        int[] counter = {0};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            HomeLock lock = t % 2 == 0 ? first : second;
            pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    try (HomeLock.Held outer = lock.acquire(); HomeLock.Held inner = lock.acquire()) {
                        int read = counter[0];
                        Thread.yield();
                        counter[0] = read + 1;
                    }
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        assertThat(counter[0]).isEqualTo(4000);
        assertThat(first.isHeldByCurrentThread()).isFalse();
        try (HomeLock.Held held = second.acquire()) {
            assertThat(first.isHeldByCurrentThread()).isTrue();
        }
    }

    /** A second web application on the same home has its own copy of HomeLock and its own channel on the file. */
    @Test
    void aChannelHeldElsewhereInThisJvmMakesThisOneWaitInsteadOfFailing() throws Exception {
        HomeLayout layout = new HomeLayout(home);
        Files.createDirectories(layout.home());
        HomeLock lock = new HomeLock(layout.writeLock());
        try (java.nio.channels.FileChannel otherWebApp = java.nio.channels.FileChannel.open(layout.writeLock(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = otherWebApp.lock();
            CompletableFuture<Boolean> acquired = CompletableFuture.supplyAsync(() -> {
                try (HomeLock.Held ignored = lock.acquire()) {
                    return !held.isValid();
                }
            });
            Thread.sleep(200);
            assertThat(acquired).isNotDone();
            held.release();
            assertThat(acquired.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
