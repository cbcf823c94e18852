package dev.certgate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigWatcherTest {
    @TempDir
    Path root;

    @Test
    void aReloadThatFailedIsRetriedWithoutAnotherEdit() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch retried = new CountDownLatch(1);
        Consumer<String> reload = settled -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("transient: the home lock could not be taken");
            }
            retried.countDown();
        };
        ConfigService.Settings settings = new ConfigService.Settings(false, Duration.ofMillis(50), Duration.ofMillis(20));
        ConfigWatcher watcher = new ConfigWatcher(List.of(root), settings, reload);
        watcher.start(TreeFingerprint.of(List.of(root)));
        try {
            Files.writeString(root.resolve("policy.xml"), "<policies/>");

            assertThat(retried.await(10, TimeUnit.SECONDS)).as("reload retried after a failure").isTrue();
            assertThat(calls.get()).isGreaterThanOrEqualTo(2);
        } finally {
            watcher.close();
        }
    }
}
