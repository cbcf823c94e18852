package dev.certgate.certs;

import dev.certgate.api.CertgateException;
import dev.certgate.api.Ids;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.config.ConfigService;
import dev.certgate.x509.Thumbprints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The client certificates' keys as calls present them: each key store opened once (at start and after each load
 * that changes it, off the request path, or at first use), its key cached while it is the one the metadata names,
 * and the certificates whose key store could not serve. The key store is {@code secrets/certificates/<id>.p12}
 * under a password derived from the master key for that id.
 */
public final class StoredKeys {
    private static final Logger LOG = LoggerFactory.getLogger(StoredKeys.class);
    /** How long an unusable key store is not re-read (and not re-logged) while its metadata is unchanged. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);
    /** Said of a key store that broke while its key was cached: the key serves from memory only. */
    private static final String STILL_PRESENTED = "; the key read before is still presented, until a restart";

    /** Why the key store of a certificate whose metadata names {@code thumbprint} could not serve, and when. */
    private record Failure(String thumbprint, Instant at, String problem) {
    }

    /**
     * What reading a key store gave: the key, or (key null) what is wrong with it, for the log and the status;
     * {@code otherCertificate} when it opened but holds another certificate than the metadata names.
     */
    private record Read(KeyMaterial key, String problem, boolean otherCertificate) {
        static Read failed(String problem) {
            return new Read(null, problem, false);
        }
    }

    /**
     * A decrypted key, the version of the key store file it was read from, and whether that file has been replaced
     * since (seen at a configuration load): a replaced entry is read again at its next use.
     */
    private record Cached(KeyMaterial key, String fileVersion, boolean replaced) {
        Cached replacedBy(String newVersion) {
            return new Cached(key, newVersion, true);
        }
    }

    private final ConfigService config;
    private final MasterKey masterKey;
    private final Clock clock;
    /**
     * By id; an entry serves while its thumbprint is the metadata's. One whose key store file was replaced (checked
     * at each configuration load) is read again at its next use, so a certificate re-uploaded with another chain,
     * here or by another instance sharing the home (the watch loads when a key store changes), is presented with it.
     */
    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Failure> failures = new ConcurrentHashMap<>();
    /** One reader per id: decrypting a key store is costly, and the first burst of requests would all do it. */
    private final ConcurrentMap<String, Object> loadLocks = new ConcurrentHashMap<>();
    /** By id, the key store version and thumbprint last opened by {@link #checkKeyStores}. */
    private final ConcurrentMap<String, String> checked = new ConcurrentHashMap<>();
    private final ExecutorService checks = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "certgate-key-store-checks");
        thread.setDaemon(true);
        return thread;
    });

    StoredKeys(ConfigService config, MasterKey masterKey, Clock clock) {
        this.config = config;
        this.masterKey = masterKey;
        this.clock = clock;
        config.addLoadListener(nanos -> {
            markReplacedKeys();
            checkKeyStoresSoon();
        });
        checkKeyStoresSoon();
    }

    /** Stops the key store checks. */
    void close() {
        checks.shutdownNow();
    }

    private void checkKeyStoresSoon() {
        try {
            checks.execute(this::checkKeyStores);
        } catch (RejectedExecutionException closed) {
            // closing: nothing left to report to
        }
    }

    /**
     * Opens each key store that is new or changed since it was last opened here, off the request path: one that
     * does not open or holds another certificate than its metadata names is then in the status
     * ({@link #unusable()}, CertificateUnusable) and the log at once, not at its first use by a call. A key that
     * opens is cached, so the first call presenting it does not wait for the decryption.
     */
    private void checkKeyStores() {
        Map<String, CertificateProperties> current = config.current().certificates();
        checked.keySet().retainAll(current.keySet());
        current.forEach((id, properties) -> {
            if (properties.thumbprint() == null) {
                return;
            }
            // Taken before reading: a change made meanwhile is seen by the next check. The expiry is in it so that
            // a hand edit of it opens the key store again, whose date storedNotAfter then has.
            String version = fileVersion(id) + " " + properties.thumbprint() + " " + properties.expirationDate();
            if (!version.equals(checked.get(id))) {
                verify(id, Thumbprints.normalize(properties.thumbprint()));
                checked.put(id, version);
            }
        });
    }

    /**
     * Reads the id's key store whatever is cached: a key that opens and is the metadata's replaces the cached one; one
     * that does not is a failure to report, unless it is a rotation under way (another certificate, while the cached
     * key is still the metadata's: the metadata naming the new one follows).
     */
    private void verify(String id, String expected) {
        synchronized (loadLocks.computeIfAbsent(id, k -> new Object())) {
            String fileVersion = fileVersion(id);
            Read read = read(id, expected);
            if (read.key() != null) {
                cache.put(id, new Cached(read.key(), fileVersion, false));
                failures.remove(id);
                return;
            }
            Cached cached = cache.get(id);
            boolean serving = cached != null && cached.key().thumbprint().equals(expected);
            if (serving && read.otherCertificate()) {
                return;
            }
            String problem = read.problem() + (serving ? STILL_PRESENTED : "");
            LOG.warn("Certificate {}: {}", id, problem);
            failures.put(id, new Failure(expected, clock.instant(), problem));
        }
    }

    /** A new key store was written under {@code id}: the next use reads it, whatever kept the old one from serving. */
    void replaced(String id) {
        cache.remove(id); // the same certificate may come with another chain
        failures.remove(id);
    }

    void deleted(String id) {
        replaced(id);
        loadLocks.remove(id);
    }

    /**
     * When the stored certificate of {@code id} expires, as its key store says, once it was opened here (at start,
     * after each load in which it changed, or at its use); empty before, or when it is not the one the metadata
     * names. The metadata's {@code expirationDate} only describes the certificate, and a hand edit can change it;
     * this is the date back ends see.
     */
    public Optional<Instant> storedNotAfter(String id) {
        CertificateProperties properties = config.current().certificates().get(id);
        Cached cached = cache.get(id);
        if (properties == null || properties.thumbprint() == null || cached == null
                || !cached.key().thumbprint().equals(Thumbprints.normalize(properties.thumbprint()))) {
            return Optional.empty();
        }
        return Optional.of(cached.key().notAfter());
    }

    /**
     * As {@link #storedNotAfter}, but opening the key store now if it was not yet (an admin read, which must not
     * depend on whether the checks off the request path have come to it): empty only if it cannot serve.
     */
    public Optional<Instant> notAfterOpening(String id) {
        return keyMaterial(id).map(KeyMaterial::notAfter);
    }

    /** The key and chain of a stored certificate, decrypted and cached; empty if missing or unusable. */
    public Optional<KeyMaterial> keyMaterial(String id) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        CertificateProperties properties = config.current().certificates().get(id);
        if (properties == null || properties.thumbprint() == null) {
            cache.remove(id);
            failures.remove(id);
            return Optional.empty();
        }
        String expected = Thumbprints.normalize(properties.thumbprint());
        Cached cached = cache.get(id);
        if (cached != null && !cached.replaced() && cached.key().thumbprint().equals(expected)) {
            return Optional.of(cached.key());
        }
        synchronized (loadLocks.computeIfAbsent(id, k -> new Object())) {
            return loadOnce(id, expected);
        }
    }

    /**
     * At a configuration load, off the request path: marks each key whose key store file was replaced, here or by
     * another instance, to be read again at its next use. It is not forgotten yet: a rotation replaces the key store
     * before the metadata naming its new thumbprint is loaded, and until then the old key still serves.
     */
    private void markReplacedKeys() {
        cache.forEach((id, cached) -> {
            String now = fileVersion(id);
            if (!cached.fileVersion().equals(now)) {
                cache.replace(id, cached, cached.replacedBy(now));
            }
        });
    }

    /** Size, modification time and file key of the id's key store: what changes when it is replaced. */
    private String fileVersion(String id) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(config.layout().certificateKeyStore(id),
                    BasicFileAttributes.class);
            return attributes.size() + " " + attributes.lastModifiedTime().toInstant() + " " + attributes.fileKey();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /**
     * Under the id's lock: what another request loaded meanwhile, else the key store read now. A replaced key whose
     * new key store does not hold the metadata's thumbprint yet keeps serving (read again at the next replacement):
     * the metadata naming the new one is still to be loaded.
     */
    private Optional<KeyMaterial> loadOnce(String id, String expected) {
        Cached cached = cache.get(id);
        boolean stillExpected = cached != null && cached.key().thumbprint().equals(expected);
        if (stillExpected && !cached.replaced()) {
            return Optional.of(cached.key());
        }
        Failure failure = failures.get(id);
        Instant now = clock.instant();
        if (!stillExpected && failure != null && failure.thumbprint().equals(expected)
                && now.isBefore(failure.at().plus(RETRY_AFTER))) {
            return Optional.empty();
        }
        String fileVersion = fileVersion(id); // before reading: a replacement meanwhile is seen at the next check
        Read read = read(id, expected);
        if (read.key() != null) {
            cache.put(id, new Cached(read.key(), fileVersion, false));
            failures.remove(id);
            return Optional.of(read.key());
        }
        if (stillExpected) {
            if (read.otherCertificate()) { // a rotation: the key store is written before the metadata naming it
                LOG.debug("Certificate {}: {}; until its metadata names it, {} serves", id, read.problem(), expected);
            } else {
                LOG.warn("Certificate {}: {}; the key read before serves meanwhile", id, read.problem());
                // Served from memory only: after a restart it could not be; the status says so meanwhile.
                failures.put(id, new Failure(expected, now, read.problem() + STILL_PRESENTED));
            }
            cache.put(id, new Cached(cached.key(), fileVersion, false));
            return Optional.of(cached.key());
        }
        LOG.warn("Certificate {}: {}", id, read.problem());
        cache.remove(id);
        failures.put(id, new Failure(expected, now, read.problem()));
        return Optional.empty();
    }

    /**
     * Certificates whose key store could not serve at their last use (a request, a TLS check), by id, with what is
     * wrong: until one is uploaded again (or its files are fixed and it serves), its calls cannot present it.
     */
    public Map<String, String> unusable() {
        Map<String, String> result = new TreeMap<>();
        Map<String, CertificateProperties> current = config.current().certificates();
        failures.forEach((id, failure) -> {
            CertificateProperties properties = current.get(id);
            if (properties != null && properties.thumbprint() != null
                    && Thumbprints.normalize(properties.thumbprint()).equals(failure.thumbprint())) {
                result.put(id, failure.problem());
            }
        });
        return result;
    }

    /** Reads and opens the id's key store: its key if it holds the certificate the metadata names. */
    private Read read(String id, String expectedThumbprint) {
        byte[] keyStore;
        try {
            keyStore = Files.readAllBytes(config.layout().certificateKeyStore(id));
        } catch (IOException e) {
            return Read.failed("its key store cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        char[] storePassword = keyStorePassword(id);
        try {
            ImportedCertificate stored = CertificateImporter.readPkcs12(keyStore, storePassword);
            String thumbprint = Thumbprints.sha1(stored.leaf());
            if (!thumbprint.equals(expectedThumbprint)) {
                return new Read(null, "its key store holds thumbprint " + thumbprint + " but its metadata says "
                        + expectedThumbprint + "; not used: upload the certificate again", true);
            }
            return new Read(new KeyMaterial(id, thumbprint, stored.privateKey(), stored.chain()), null, false);
        } catch (CertgateException e) {
            // Import messages name the problem only; a wrong password here means another master key.
            return Read.failed("its key store cannot be opened: " + e.getMessage());
        } finally {
            Arrays.fill(storePassword, '\0');
        }
    }

    /** Per certificate id, so no two key stores share a password. */
    char[] keyStorePassword(String id) {
        return masterKey.derivePassword("certificates/" + id + ".p12");
    }
}
