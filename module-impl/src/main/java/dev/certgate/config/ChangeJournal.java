package dev.certgate.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A write-ahead (redo) journal that makes a {@link ConfigChange} all or nothing, even when the process is killed
 * or the power fails half-way: afterwards the home holds the whole old state or the whole new one. Every method
 * runs under the home's {@link HomeLock}.
 *
 * <p>Applying a change:
 * <ol>
 *   <li>Stage: each new content is written to a hidden file {@code .<name>.<uuid>.staged} in its target's own
 *       folder (the same file system, so the later rename is atomic; owner-only from creation under
 *       {@code secrets/}); each file, and the folders holding it or created for it, are forced to the device.</li>
 *   <li>Commit: the journal {@code <home>/.journal} lists the steps (staged file to target, file deletion, tree
 *       deletion); it is written to a staged file, forced, renamed into place and the home folder forced. Once
 *       that rename is durable the change will happen.</li>
 *   <li>Perform the steps in order, then force every folder they touched.</li>
 *   <li>Delete the journal and force the home folder.</li>
 * </ol>
 *
 * <p>Recovery ({@link #recover}, whenever the lock is taken): a journal found is replayed (rolled forward) and
 * deleted. Replaying is safe however far the first attempt got, because the steps commute: only the step that
 * decides a path (as {@link HomeView} defines it) is journaled, so no path is written or deleted twice, and a
 * tree deletion spares the files that later steps put inside it. A rename whose staged file is gone has already
 * happened. At start, {@link #sweep} deletes staged files that no journal lists: a crash before the commit point
 * left them, and the old state is whole without them. (A peer gateway's crash before its commit point leaves such
 * hidden files until the next start; they are ignored by the loader and owner-only where they hold secrets.)
 */
final class ChangeJournal {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeJournal.class);
    private static final String STAGED_SUFFIX = ".staged";
    private static final Pattern STAGED = Pattern.compile("\\..+\\.[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\\.staged");

    /** Where an apply has got to, for {@link Checkpoint}. */
    enum Phase { STAGED, COMMITTED, PERFORMED }

    /**
     * Called after each durable point of an apply, with the number of files staged or steps performed so far:
     * tests stop the apply there (by throwing an {@link Error}, which skips every clean-up) as a crash would.
     */
    interface Checkpoint {
        Checkpoint NONE = (phase, count) -> { };

        void reached(Phase phase, int count);
    }

    enum Kind { PUT, DELETE, DELETE_TREE }

    /**
     * One journaled step; paths are relative to the home, with '/'. {@code staged} is the source of a PUT;
     * {@code keep} lists what a DELETE_TREE spares: the targets of later PUTs inside the tree and their staged files.
     */
    record Entry(Kind kind, String path, String staged, List<String> keep) {
    }

    record Journal(List<Entry> steps) {
    }

    /** The journal's entries and the content of each staged file. */
    private record Plan(List<Entry> entries, Map<Path, byte[]> contents) {
    }

    private final HomeLayout layout;
    private final Checkpoint checkpoint;

    ChangeJournal(HomeLayout layout, Checkpoint checkpoint) {
        this.layout = layout;
        this.checkpoint = checkpoint;
    }

    /**
     * Applies {@code steps} (absolute, normalised, inside the home) all or nothing. An IOException before the
     * commit point leaves the disk as it was; after it, the journal stays for {@link #recover} (see {@link #pending}).
     */
    void apply(List<ConfigChange.Step> steps) throws IOException {
        Plan plan = plan(steps);
        List<Path> written = new ArrayList<>();
        try {
            stage(plan.contents(), written);
            Path journalTemporary = staged(layout.journal());
            written.add(journalTemporary);
            AtomicFiles.writeNew(journalTemporary, Json.MAPPER.writeValueAsBytes(new Journal(plan.entries())), false);
            AtomicFiles.replace(journalTemporary, layout.journal());
            AtomicFiles.syncFolder(layout.home());
        } catch (IOException | RuntimeException e) {
            for (Path leftover : written) {
                try {
                    Files.deleteIfExists(leftover);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        checkpoint.reached(Phase.COMMITTED, plan.entries().size());
        perform(plan.entries());
    }

    /** Whether a committed change waits to be completed (an apply failed or crashed after its commit point). */
    boolean pending() {
        return Files.exists(layout.journal());
    }

    /** Completes a committed change if one is pending; returns whether one was. */
    boolean recover() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(layout.journal());
        } catch (NoSuchFileException none) {
            return false;
        }
        Journal journal;
        try {
            journal = Json.MAPPER.readValue(bytes, Journal.class);
        } catch (JsonProcessingException e) {
            // It was forced before it was renamed into place, so it cannot be torn: this is damage, not a crash.
            throw new IOException(layout.relative(layout.journal()) + " (an interrupted configuration change) cannot "
                    + "be read: " + e.getOriginalMessage() + "; check the files it names, then remove it");
        }
        List<Entry> entries = journal.steps() == null ? List.of() : journal.steps();
        entries.forEach(this::check);
        LOG.info("Completing a configuration change that was interrupted after it was committed: {} step(s)",
                entries.size());
        perform(entries);
        return true;
    }

    /** Deletes staged files no journal lists (call after {@link #recover}): left by a crash before a commit point. */
    void sweep() throws IOException {
        List<Path> orphans = new ArrayList<>();
        try (Stream<Path> top = Files.list(layout.home())) {
            top.filter(ChangeJournal::isStaged).forEach(orphans::add);
        }
        for (Path root : List.of(layout.configDir(), layout.secretsDir())) {
            if (Files.isDirectory(root)) {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        boolean hidden = !dir.equals(root) && dir.getFileName().toString().startsWith(".");
                        return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (isStaged(file)) {
                            orphans.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        }
        for (Path orphan : orphans) {
            Files.deleteIfExists(orphan);
        }
        if (!orphans.isEmpty()) {
            LOG.info("Removed {} staged file(s) of a configuration change interrupted before it was committed",
                    orphans.size());
        }
    }

    /**
     * The decisive steps, in order; a PUT gets a staged file name, a DELETE_TREE the paths it must spare. A file
     * step on a folder is refused here, before the commit point, since no replay could ever complete it.
     */
    private Plan plan(List<ConfigChange.Step> steps) {
        Map<Integer, Path> stagedByStep = new HashMap<>();
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            ConfigChange.Step step = steps.get(i);
            if (!step.tree() && Files.isDirectory(step.path())) {
                throw new IllegalArgumentException("a change can write or delete only files here, not the folder "
                        + layout.relative(step.path()));
            }
            if (!step.tree() && step.content() != null && decisive(steps, i)) {
                Path staged = staged(step.path());
                stagedByStep.put(i, staged);
                contents.put(staged, step.content());
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            ConfigChange.Step step = steps.get(i);
            String path = layout.relative(step.path());
            if (step.tree()) {
                List<String> keep = new ArrayList<>();
                for (int later = i + 1; later < steps.size(); later++) {
                    Path staged = stagedByStep.get(later);
                    if (staged != null && steps.get(later).path().startsWith(step.path())) {
                        keep.add(layout.relative(steps.get(later).path()));
                        keep.add(layout.relative(staged));
                    }
                }
                entries.add(new Entry(Kind.DELETE_TREE, path, null, keep));
            } else if (stagedByStep.containsKey(i)) {
                entries.add(new Entry(Kind.PUT, path, layout.relative(stagedByStep.get(i)), null));
            } else if (step.content() == null && decisive(steps, i)) {
                entries.add(new Entry(Kind.DELETE, path, null, null));
            }
        }
        return new Plan(entries, contents);
    }

    /** Whether no later step writes, deletes or deletes a folder above step {@code index}'s file. */
    private static boolean decisive(List<ConfigChange.Step> steps, int index) {
        Path file = steps.get(index).path();
        for (int later = index + 1; later < steps.size(); later++) {
            ConfigChange.Step step = steps.get(later);
            if (step.tree() ? file.startsWith(step.path()) : file.equals(step.path())) {
                return false;
            }
        }
        return true;
    }

    /** Writes and forces each staged file, then forces the folders holding them and any folder created for them. */
    private void stage(Map<Path, byte[]> contents, List<Path> written) throws IOException {
        Set<Path> folders = new LinkedHashSet<>();
        int count = 0;
        for (Map.Entry<Path, byte[]> content : contents.entrySet()) {
            Path file = content.getKey();
            boolean secret = file.startsWith(layout.secretsDir());
            for (Path created : AtomicFiles.createFolders(file.getParent(), secret)) {
                folders.add(created.getParent());
            }
            folders.add(file.getParent());
            written.add(file);
            AtomicFiles.writeNew(file, content.getValue(), secret);
            checkpoint.reached(Phase.STAGED, ++count);
        }
        folders.forEach(AtomicFiles::syncFolder);
    }

    /** Performs the steps (each idempotent), forces the folders they touched, and retires the journal. */
    private void perform(List<Entry> entries) throws IOException {
        Set<Path> touched = new LinkedHashSet<>();
        int count = 0;
        for (Entry entry : entries) {
            Path path = resolve(entry.path());
            touched.add(path.getParent());
            switch (entry.kind()) {
                case PUT -> rename(resolve(entry.staged()), path);
                case DELETE -> Files.deleteIfExists(path);
                case DELETE_TREE -> deleteTree(path, entry.keep().stream().map(this::resolve).toList(), touched);
            }
            checkpoint.reached(Phase.PERFORMED, ++count);
        }
        touched.forEach(AtomicFiles::syncFolder);
        Files.deleteIfExists(layout.journal());
        AtomicFiles.syncFolder(layout.home());
    }

    private static void rename(Path staged, Path target) throws IOException {
        try {
            AtomicFiles.replace(staged, target);
        } catch (NoSuchFileException done) {
            // The staged file is gone: this rename happened before the crash that left the journal.
            if (Files.exists(staged)) {
                throw done;
            }
        }
    }

    /** Deletes {@code tree} except the {@code keep} files and the folders holding them. */
    private static void deleteTree(Path tree, List<Path> keep, Set<Path> touched) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!keep.contains(file)) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                try {
                    Files.deleteIfExists(dir);
                } catch (DirectoryNotEmptyException kept) {
                    // It holds a kept file (or something written meanwhile by someone else): it stays.
                    touched.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A journal entry's checks: every path inside the home, a staged file next to its target. */
    private void check(Entry entry) {
        if (entry.kind() == null) {
            throw new IllegalStateException(layout.relative(layout.journal()) + " has a step without a kind");
        }
        Path path = resolve(entry.path());
        if (entry.kind() == Kind.PUT) {
            Path staged = resolve(entry.staged());
            if (!isStaged(staged) || !staged.getParent().equals(path.getParent())) {
                throw new IllegalStateException(layout.relative(layout.journal()) + " names " + entry.staged()
                        + " as the staged content of " + entry.path() + ", which is not a staged file beside it");
            }
        }
        if (entry.kind() == Kind.DELETE_TREE && entry.keep() == null) {
            throw new IllegalStateException(layout.relative(layout.journal()) + ": the tree deletion of "
                    + entry.path() + " has no keep list");
        }
    }

    /** A journal path: relative to the home and inside it. */
    private Path resolve(String relative) {
        Path path = relative == null ? null : layout.home().resolve(relative).normalize();
        if (path == null || !path.startsWith(layout.home()) || path.equals(layout.home())) {
            throw new IllegalStateException(layout.relative(layout.journal()) + " names a path outside the home: "
                    + relative);
        }
        return path;
    }

    private static Path staged(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + STAGED_SUFFIX);
    }

    private static boolean isStaged(Path file) {
        return STAGED.matcher(file.getFileName().toString()).matches();
    }
}
