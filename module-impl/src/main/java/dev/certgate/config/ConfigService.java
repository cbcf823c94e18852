package dev.certgate.config;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.policy.PolicyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * Holds the current {@link GatewaySnapshot} of one home, reloads it when files change (watch + periodic
 * re-scan, debounced), and applies admin writes.
 *
 * <p>Readers call {@link #current()} on any thread: the snapshot is immutable and replaced with one
 * volatile write, so a request sees the old or the new configuration, never a mix. Every load and
 * every write runs under the home's {@link HomeLock}, so a load never sees another writer's change
 * half-applied, whether that writer is a thread of this gateway or another gateway on the same home.
 * Writes go through a {@link ChangeJournal}, so a change is all or nothing even across a crash: whoever takes
 * the lock next (and every start) first completes a change that a crash interrupted after its commit point.
 */
public final class ConfigService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigService.class);
    private static final int MAX_LOAD_ATTEMPTS = 5;
    private static final int MAX_SETTLE_ROUNDS = 10;

    /** The outcome of {@link #apply}: whether the primary file was created, and the snapshot now serving. */
    public record Applied(boolean created, GatewaySnapshot snapshot) {
    }

    /**
     * How changes on disk are noticed: {@code watch} turns the WatchService on (the re-scan runs always),
     * {@code rescanInterval} is the period of the full re-scan, {@code debounce} the quiet time a burst of
     * changes must end with before it is loaded.
     */
    public record Settings(boolean watch, Duration rescanInterval, Duration debounce) {
        public static final Settings DEFAULTS = new Settings(true, Duration.ofSeconds(2), Duration.ofMillis(200));

        public Settings {
            if (rescanInterval.isNegative() || rescanInterval.isZero() || debounce.isNegative()) {
                throw new IllegalArgumentException("rescanInterval must be positive and debounce not negative");
            }
        }
    }

    /**
     * What readers see, replaced as a whole: the snapshot serving, the errors of the last load (empty when it was
     * good), its warnings and how each API fared, and the tree the snapshot was loaded from when that load was
     * clean (else the snapshot is not what the files say).
     */
    private record Published(GatewaySnapshot snapshot, List<ConfigError> errors, List<ConfigWarning> warnings,
                             List<ApiStatus> apis, List<Product> products, String fingerprint) {
    }

    private final HomeLayout layout;
    private final Settings settings;
    private final ConfigLoader loader;
    private final HomeLock lock;
    private final ChangeJournal journal;
    private final List<Consumer<GatewaySnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final List<LongConsumer> loadListeners = new CopyOnWriteArrayList<>();
    private volatile Published published =
            new Published(GatewaySnapshot.empty(), List.of(), List.of(), List.of(), List.of(), null);
    /** The tree of the last load, good or refused, so an unchanged tree is not loaded again. Guarded by {@link #lock}. */
    private String lastLoadedFingerprint;
    private ConfigWatcher watcher;

    public ConfigService(HomeLayout layout) {
        this(layout, Settings.DEFAULTS);
    }

    public ConfigService(HomeLayout layout, Settings settings) {
        this(layout, settings, NamedValueSecrets.NONE, ChangeJournal.Checkpoint.NONE);
    }

    /** @param secrets opens the values of secret named values, kept under {@code secrets/} */
    public ConfigService(HomeLayout layout, NamedValueSecrets secrets) {
        this(layout, Settings.DEFAULTS, secrets, ChangeJournal.Checkpoint.NONE);
    }

    /** With a checkpoint that tests use to stop an apply where a crash would. */
    ConfigService(HomeLayout layout, Settings settings, ChangeJournal.Checkpoint checkpoint) {
        this(layout, settings, NamedValueSecrets.NONE, checkpoint);
    }

    private ConfigService(HomeLayout layout, Settings settings, NamedValueSecrets secrets,
                          ChangeJournal.Checkpoint checkpoint) {
        this.layout = Objects.requireNonNull(layout);
        this.settings = Objects.requireNonNull(settings);
        this.loader = new ConfigLoader(layout, secrets);
        this.lock = new HomeLock(layout.writeLock());
        this.journal = new ChangeJournal(layout, checkpoint);
    }

    /**
     * Creates the config folders if missing, completes or discards a change a crash interrupted, loads once,
     * starts watching.
     */
    public synchronized void start() {
        if (watcher != null) {
            throw new IllegalStateException("already started");
        }
        createFolders();
        String fingerprint;
        try (HomeLock.Held held = lockAndRecover()) {
            try {
                journal.sweep();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the staged files of an interrupted change", e);
            }
            fingerprint = loadWhole(walk(), List.of());
        }
        watcher = new ConfigWatcher(loadedTrees(), settings, this::reloadIfChanged);
        watcher.start(fingerprint);
    }

    public HomeLayout layout() {
        return layout;
    }

    /** The snapshot serving now; never null (an empty configuration before the first good load). */
    public GatewaySnapshot current() {
        return published.snapshot();
    }

    public ConfigStatus status() {
        Published now = published;
        return new ConfigStatus(now.snapshot().generation(), now.snapshot().loadedAt(), now.errors(),
                now.warnings(), now.apis(), now.products());
    }

    /**
     * Loads the disk now if it changed since the last load (a hand edit, another instance's write), once it settled,
     * rather than when the watch gets to it: for a reader that must not answer older than the files.
     */
    public void loadIfChanged() {
        reloadIfChanged(null);
    }

    /** Called with every newly published snapshot (after the swap), on the thread that loaded it; keep it quick. */
    public void addListener(Consumer<GatewaySnapshot> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Called after every load of the home, published or refused, with how long reading, validating and merging it
     * took in nanoseconds (the first load, reloads on file changes and admin writes alike), on the loading thread.
     */
    public void addLoadListener(LongConsumer nanos) {
        loadListeners.add(Objects.requireNonNull(nanos));
    }

    /**
     * Under the home's write lock (threads and processes): refuses a new name that differs from an existing one only
     * in case (409) or that Windows changes or reserves (400; {@link PortableNames}), runs the change's checks against
     * the configuration on disk ({@link ConfigChange#checks}, which refuse with their own answers), validates the
     * configuration as it would be after the change (400 with every error the change would add as a detail; errors
     * already on disk do not refuse it, see {@link ChangeRefusal}), writes all steps or none (even across a crash),
     * and publishes the new snapshot before returning.
     */
    public Applied apply(ConfigChange change) {
        List<ConfigChange.Step> steps = insideHome(change.steps());
        try (HomeLock.Held held = lockAndRecover()) {
            TreeFingerprint.Walk before = walk();
            if (!before.digest().equals(lastLoadedFingerprint)) {
                before = settle(before); // someone else is changing files (an editor, a checkout): let them finish
            }
            PortableNames.refuse(layout, change.primary(), steps);
            Validated validated;
            for (int attempt = 1; ; attempt++) {
                GatewaySnapshot onDisk = diskState(before.digest());
                change.checks().forEach(check -> check.accept(onDisk));
                validated = validate(steps);
                if (validated.refusal() == null) {
                    break;
                }
                // The disk is read twice: a hand edit caught half-written by one read looks like an error we add.
                TreeFingerprint.Walk now = walk();
                if (now.digest().equals(before.digest()) || attempt == MAX_LOAD_ATTEMPTS) {
                    throw validated.refusal();
                }
                before = settle(now);
            }
            boolean created = change.primary() != null && !Files.exists(change.primary());
            write(steps);
            publishWritten(before, steps, validated);
            return new Applied(created, current());
        }
    }

    /**
     * An entity file's properties as written on disk (named values not put in: what the admin API answers), or
     * null when the file does not exist or cannot be read as {@code type}.
     */
    public <P> P written(Path file, Class<P> type) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
        return JsonEnvelope.read(bytes, type, layout.relative(file), new ArrayList<>());
    }

    /** The named values and fragments on disk now, for checking a policy document before it is written. */
    public PolicyContext policyContext() {
        return loader.policyContext();
    }

    /** The strong ETag of a file's current content (quoted), or null if it does not exist. */
    public String etagOf(Path file) {
        return EntityTags.of(file);
    }

    /**
     * For an admin read of one entity, before its body is taken from {@link #current()}: the ETag of {@code file},
     * with the disk loaded first if it changed since the last load (another instance's write, a hand edit). The body
     * is then at least as new as the ETag, so an {@code If-Match} built from the answer can only fail safe (412):
     * answering the body served with the ETag of a newer file lost the newer write on the next conditional update.
     */
    public String etagForRead(Path file) {
        String etag = EntityTags.of(file);
        loadIfChanged();
        return etag;
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    /**
     * The configuration as it would be after the steps, how long loading it took, and the 400 naming the errors the
     * steps would add to those on disk (null when they add none).
     */
    private record Validated(LoadResult wouldBe, long nanos, CertgateException refusal) {
    }

    private Validated validate(List<ConfigChange.Step> steps) {
        long started = System.nanoTime();
        LoadResult wouldBe = loader.load(HomeView.overlay(steps));
        long nanos = System.nanoTime() - started;
        return new Validated(wouldBe, nanos,
                wouldBe.valid() ? null : ChangeRefusal.of(wouldBe.errors(), loader.load().errors()));
    }

    /**
     * Publishes what the change was validated as when the disk now holds exactly that (the caller holds the lock):
     * nobody changed a file since {@code before}, the walk before the validation, and every file the steps wrote
     * reads back as written. A write then costs one load of the home, not two ({@code LoadBenchmark}, 1,000 APIs:
     * 329 ms of CPU per write instead of 465). Otherwise (someone's edit meanwhile, or a folder deleted, whose every
     * file is not checked) the disk is loaded. An edit after the read-back changes the tree published here, so the
     * watch loads it.
     */
    private void publishWritten(TreeFingerprint.Walk before, List<ConfigChange.Step> steps, Validated validated) {
        TreeFingerprint.Walk after = walk();
        if (after.sameOutside(before, steps) && readsBackAsWritten(steps)) {
            publish(validated.wouldBe(), after.digest(), validated.nanos());
        } else {
            loadWhole(before, steps);
        }
    }

    private static boolean readsBackAsWritten(List<ConfigChange.Step> steps) {
        HomeView written = HomeView.overlay(steps);
        try {
            for (ConfigChange.Step step : steps) {
                if (step.tree()) {
                    return false;
                }
                Optional<byte[]> expected = written.read(step.path());
                Optional<byte[]> actual = HomeView.disk().read(step.path());
                if (expected.isPresent() != actual.isPresent()
                        || expected.isPresent() && !Arrays.equals(expected.get(), actual.get())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false; // the load that follows names what cannot be read
        }
    }

    /**
     * Loads the disk if it changed since the last load, once it settled: at once if it is still the tree the watcher
     * saw settle ({@code settled}; null when none did).
     */
    private void reloadIfChanged(String settled) {
        try (HomeLock.Held held = lockAndRecover()) {
            TreeFingerprint.Walk now = walk();
            if (!now.digest().equals(lastLoadedFingerprint)) {
                loadWhole(now.digest().equals(settled) ? now : settle(now), List.of());
            }
        }
    }

    /**
     * Loads the disk and publishes it (the caller holds the lock), but only a load that no one else's change
     * overlapped: {@code before} is the tree as it was before the caller's own {@code steps} were written, and
     * if any other file differs after the load (an editor's save renames the file away and writes it anew; the
     * load may have read the gap), the tree is let settle and loaded again. The lock keeps out admin writes, not
     * hand edits. Returns the fingerprint of the tree published.
     */
    private String loadWhole(TreeFingerprint.Walk before, List<ConfigChange.Step> steps) {
        List<ConfigChange.Step> ours = steps;
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            LoadResult result = loader.load();
            TreeFingerprint.Walk after = walk();
            boolean whole = after.sameOutside(before, ours);
            if (whole || attempt == MAX_LOAD_ATTEMPTS) {
                if (!whole) {
                    LOG.warn("Files under {} kept changing while the configuration was read ({} loads); taking the"
                            + " last load as it is", layout.home(), attempt);
                }
                publish(result, after.digest(), System.nanoTime() - started);
                return after.digest();
            }
            LOG.debug("Files changed while the configuration was read; loading again once they settle");
            before = settle(after);
            ours = List.of(); // the settled tree holds the caller's writes
        }
    }

    /**
     * Waits until two walks one debounce apart agree, as the watch does before it loads (at most
     * {@value #MAX_SETTLE_ROUNDS} rounds: files that never stop changing are loaded as they are); the last walk.
     */
    private TreeFingerprint.Walk settle(TreeFingerprint.Walk seen) {
        TreeFingerprint.Walk last = seen;
        for (int round = 0; round < MAX_SETTLE_ROUNDS; round++) {
            try {
                Thread.sleep(Math.max(1, settings.debounce().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return walk();
            }
            TreeFingerprint.Walk next = walk();
            if (next.digest().equals(last.digest())) {
                return next;
            }
            last = next;
        }
        return last;
    }

    /**
     * Publishes what of a load (of the tree {@code fingerprint}, which took {@code nanos}) is valid, each API with
     * errors kept on its last good configuration or unavailable ({@link LastGood}); the caller holds the lock. The
     * generation counts the configurations served: it rises when an API, backend, certificate, authority or the global
     * policy served changes, so a load whose every change was refused does not raise it (nor does an API with errors
     * that had no last good configuration: it was not served before and is not now).
     */
    private void publish(LoadResult result, String fingerprint, long nanos) {
        lastLoadedFingerprint = fingerprint;
        Published before = published;
        LastGood.Merged merged = LastGood.merge(before.snapshot(), result);
        long millis = nanos / 1_000_000;
        for (LongConsumer listener : loadListeners) {
            try {
                listener.accept(nanos);
            } catch (RuntimeException e) {
                LOG.error("A configuration load listener failed", e);
            }
        }
        String published = result.valid() ? fingerprint : before.fingerprint();
        // A clean first load is generation 1 even when it serves nothing (an empty home).
        boolean cleanFirstLoad = before.snapshot().generation() == 0 && result.valid();
        if (!cleanFirstLoad && merged.snapshot().servesTheSameAs(before.snapshot())) {
            // Only which unknown paths answer 503 may differ: nothing served changed, so the generation stays.
            GatewaySnapshot same = merged.snapshot().unavailableApis().equals(before.snapshot().unavailableApis())
                    ? before.snapshot()
                    : merged.snapshot().withGeneration(before.snapshot().generation(), before.snapshot().loadedAt());
            this.published = new Published(same, result.errors(), result.warnings(), merged.apis(),
                    result.products(), published);
            if (!result.valid()) {
                LOG.warn("Configuration refused ({} error(s)); generation {} keeps serving{}:", result.errors().size(),
                        before.snapshot().generation(), describe(merged.apis()));
                result.errors().forEach(error -> LOG.warn("  {}", error.describe()));
            }
            return;
        }
        GatewaySnapshot snapshot = merged.snapshot().withGeneration(before.snapshot().generation() + 1, Instant.now());
        this.published = new Published(snapshot, result.errors(), result.warnings(), merged.apis(),
                result.products(), published);
        LOG.info("Configuration generation {} loaded in {} ms: {} APIs, {} operations, {} backends, {} certificates, "
                        + "{} authorities{}", snapshot.generation(), millis, snapshot.apis().size(),
                snapshot.apis().values().stream().mapToInt(api -> api.operations().size()).sum(),
                snapshot.backends().size(), snapshot.certificates().size(), snapshot.authorities().size(),
                result.warnings().isEmpty() ? "" : "; " + result.warnings().size() + " warning(s) in /admin/status");
        if (!result.valid()) {
            LOG.warn("Configuration generation {} has {} error(s){}:", snapshot.generation(), result.errors().size(),
                    describe(merged.apis()));
            result.errors().forEach(error -> LOG.warn("  {}", error.describe()));
        }
        for (Consumer<GatewaySnapshot> listener : listeners) {
            try {
                listener.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.error("A configuration listener failed on generation {}", snapshot.generation(), e);
            }
        }
    }

    /** "; unavailable APIs: a, b; on their last good configuration: c", or "" when every API is served. */
    private static String describe(List<ApiStatus> apis) {
        String unavailable = ids(apis, ApiStatus.State.UNAVAILABLE);
        String lastGood = ids(apis, ApiStatus.State.LAST_GOOD);
        return (unavailable.isEmpty() ? "" : "; unavailable APIs: " + unavailable)
                + (lastGood.isEmpty() ? "" : "; APIs on their last good configuration: " + lastGood);
    }

    private static String ids(List<ApiStatus> apis, ApiStatus.State state) {
        return apis.stream().filter(api -> api.state() == state).map(ApiStatus::id).collect(Collectors.joining(", "));
    }

    /**
     * The entity folders, for people to find. Where config/ is there but read-only (a Kubernetes ConfigMap cannot
     * hold an empty folder) a missing one is read as empty, and only admin writes into it fail.
     */
    private void createFolders() {
        for (Path folder : List.of(layout.apisDir(), layout.backendsDir(), layout.certificatesDir(),
                layout.authoritiesDir())) {
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                if (!Files.isDirectory(layout.configDir())) {
                    throw new UncheckedIOException("cannot create the configuration folders under "
                            + layout.configDir(), e);
                }
                LOG.warn("Cannot create {} ({}); reading it as empty, and admin writes into it will fail",
                        layout.relative(folder), e.toString());
            }
        }
    }

    /**
     * The folders whose files the loader reads: config/, and beside it the key stores and sealed values its
     * metadata needs, so that a key that arrives after its metadata (a Secret mounted apart from its ConfigMap) is
     * picked up by the watch like any other change.
     */
    private List<Path> loadedTrees() {
        return List.of(layout.configDir(), layout.secretCertificatesDir(), layout.secretNamedValuesDir());
    }

    private TreeFingerprint.Walk walk() {
        return TreeFingerprint.walk(loadedTrees());
    }

    /** The configuration on disk (whose tree is {@code fingerprint}) for the guards: the published one if it is that. */
    private GatewaySnapshot diskState(String fingerprint) {
        Published now = published;
        if (fingerprint.equals(now.fingerprint())) {
            return now.snapshot();
        }
        LoadResult result = loader.load();
        return result.valid() ? result.snapshot() : now.snapshot();
    }

    /**
     * Takes the home's lock and completes a change that a crash (of this process or another sharing the home)
     * interrupted after its commit point, so nothing loads or writes a half-applied change. If it cannot be
     * completed, the lock is released and nothing is loaded: the last good configuration keeps serving.
     */
    private HomeLock.Held lockAndRecover() {
        HomeLock.Held held = lock.acquire();
        try {
            journal.recover();
            return held;
        } catch (IOException e) {
            held.close();
            throw new UncheckedIOException("cannot complete an interrupted configuration change", e);
        } catch (RuntimeException | Error e) {
            held.close();
            throw e;
        }
    }

    private void write(List<ConfigChange.Step> steps) {
        try {
            journal.apply(steps);
        } catch (IOException e) {
            // Before the commit point nothing changed; after it the journal completes the change at the next lock.
            boolean committed = journal.pending();
            LOG.error("Writing a configuration change failed {}", committed
                    ? "after it was committed; it will be completed when the home is next locked"
                    : "before it was committed; nothing was changed", e);
            throw new CertgateException(ErrorCode.INTERNAL_ERROR, committed
                    ? "The configuration change could not be completed now; it will be completed on the next load"
                    : "The configuration could not be written", List.of(), e);
        }
    }

    /** The steps with absolute, normalised paths; a path outside the home is a programming error. */
    private List<ConfigChange.Step> insideHome(List<ConfigChange.Step> steps) {
        return steps.stream().map(step -> {
            Path path = step.path().toAbsolutePath().normalize();
            if (!path.startsWith(layout.home()) || path.equals(layout.home())) {
                throw new IllegalArgumentException("a change may only touch files under the home: " + path);
            }
            return new ConfigChange.Step(path, step.content(), step.tree());
        }).toList();
    }
}
