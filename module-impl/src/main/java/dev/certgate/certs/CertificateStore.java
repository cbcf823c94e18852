package dev.certgate.certs;

import dev.certgate.api.CertgateException;
import dev.certgate.api.Ids;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.config.ConfigChange;
import dev.certgate.config.ConfigService;
import dev.certgate.config.HomeLayout;
import dev.certgate.config.JsonEnvelope;
import dev.certgate.config.Preconditions;
import dev.certgate.x509.CertificateDescriptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Client certificates as the admin API writes them: import (PFX or PEM), encrypted storage under the master key,
 * metadata in config/, usage-checked deletion. Their keys are read back by {@link StoredKeys}. The upload's password
 * is never stored.
 */
public final class CertificateStore {
    /** What an upload answers: the stored metadata and any warnings (expired, no clientAuth EKU, …). */
    public record Stored(CertificateProperties properties, List<String> warnings, boolean created) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

    private final ConfigService config;
    private final Clock clock;
    private final StoredKeys keys;

    public CertificateStore(ConfigService config, MasterKey masterKey) {
        this(config, masterKey, Clock.systemUTC());
    }

    CertificateStore(ConfigService config, MasterKey masterKey, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.keys = new StoredKeys(config, masterKey, clock);
    }

    /** The stored certificates' keys, as calls present them. */
    public StoredKeys keys() {
        return keys;
    }

    /** Stops the key store checks. */
    public void close() {
        keys.close();
    }

    /** Imports and stores. Throws CertgateException (400/412) on refusal. */
    public Stored put(String id, byte[] data, char[] password, Preconditions conditions) {
        Ids.require("certificate", id);
        ImportedCertificate imported = CertificateImporter.importFile(data, password);
        List<String> warnings = CertificateWarnings.of(imported, clock.instant());
        CertificateProperties properties = CertificateDescriptions.certificate(imported.leaf());
        byte[] keyStore;
        char[] storePassword = keys.keyStorePassword(id);
        try {
            keyStore = Pkcs12Writer.write(imported.privateKey(), imported.chain(), id, storePassword);
        } finally {
            Arrays.fill(storePassword, '\0');
        }
        HomeLayout layout = config.layout();
        Path metadata = layout.certificateInformation(id);
        // Key store first: once the metadata names the new thumbprint, its key is already in place.
        boolean created = config.apply(ConfigChange.create()
                .preconditions(metadata, conditions)
                .put(layout.certificateKeyStore(id), keyStore)
                .put(metadata, JsonEnvelope.write(properties))
                .primary(metadata)).created();
        keys.replaced(id);
        LOG.info("Certificate {} {}: subject '{}', thumbprint {}, expires {}", id, created ? "created" : "replaced",
                properties.subject(), properties.thumbprint(), properties.expirationDate());
        warnings.forEach(warning -> LOG.warn("Certificate {}: {}", id, warning));
        return new Stored(properties, warnings, created);
    }

    public Optional<CertificateProperties> get(String id) {
        Ids.require("certificate", id);
        return Optional.ofNullable(config.current().certificates().get(id));
    }

    /** The ETag of the certificate's metadata file (what {@code If-Match} compares with), or null if missing. */
    public String etag(String id) {
        return config.etagOf(metadataFile(id));
    }

    /** As {@link #etag}, for a read whose body {@link #get} takes next: see {@link ConfigService#etagForRead}. */
    public String etagForRead(String id) {
        return config.etagForRead(metadataFile(id));
    }

    private Path metadataFile(String id) {
        return config.layout().certificateInformation(Ids.require("certificate", id));
    }

    /** 409 with one detail per user (backend or policy file) while anything references it; 404 if missing. */
    public void delete(String id, Preconditions conditions) {
        Ids.require("certificate", id);
        HomeLayout layout = config.layout();
        Path metadata = layout.certificateInformation(id);
        // Metadata first: once it is gone nothing can name the certificate, and then its key goes.
        config.apply(ConfigChange.create()
                .guard(snapshot -> {
                    if (!snapshot.certificates().containsKey(id)) {
                        throw CertgateException.notFound("Certificate", id);
                    }
                    CertificateUsage.requireUnused(snapshot, id, other -> keys.keyMaterial(other).isPresent());
                })
                .preconditions(metadata, conditions)
                .deleteTree(layout.certificateDir(id))
                .delete(layout.certificateKeyStore(id))
                .primary(metadata));
        keys.deleted(id);
        LOG.info("Certificate {} deleted", id);
    }
}
