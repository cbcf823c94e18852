package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.CertgateException;
import dev.certgate.api.Ids;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.model.Entity;
import dev.certgate.api.model.EntityList;
import dev.certgate.certs.CertificateStore;
import dev.certgate.config.ConfigService;
import dev.certgate.config.EntityUsers;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.Preconditions;
import dev.certgate.config.UnusedProperties;
import dev.certgate.inventory.CertificateActivity;
import dev.certgate.inventory.ExpiryWarnings;

import java.time.Instant;
import java.util.Arrays;

/**
 * Client certificates: upload (JSON or multipart) into the store, metadata with daysToExpiry and usage (users and
 * activity since start), guarded delete.
 */
public final class CertificateLogic {
    static final String COLLECTION = "certificates";

    private final ConfigService config;
    private final CertificateStore store;
    private final CertificateActivity activity;

    public CertificateLogic(CertgateRuntime runtime) {
        this.config = runtime.config();
        this.store = runtime.certificates();
        this.activity = runtime.certificateActivity();
    }

    public EntityList<Entity<CertificateView>> list() {
        Instant now = Instant.now();
        GatewaySnapshot snapshot = config.current();
        return EntityList.of(snapshot.certificates().entrySet().stream()
                .map(e -> Entity.of(COLLECTION, e.getKey(), view(e.getKey(), e.getValue(), now, snapshot)))
                .toList());
    }

    public Versioned<Entity<CertificateView>> get(String id) {
        Ids.require("certificate", id);
        String etag = store.etagForRead(id);
        CertificateProperties properties = store.get(id)
                .orElseThrow(() -> CertgateException.notFound("Certificate", id));
        return Versioned.read(Entity.of(COLLECTION, id, view(id, properties, Instant.now(), config.current())), etag);
    }

    private CertificateView view(String id, CertificateProperties properties, Instant now, GatewaySnapshot snapshot) {
        Instant notAfter = ExpiryWarnings.notAfter(id, properties, store.keys()::notAfterOpening);
        return CertificateView.of(properties, notAfter, null, now,
                UsageView.of(UsersView.of(EntityUsers.ofCertificate(snapshot, id)), activity.of(id)));
    }

    public Versioned<Entity<CertificateView>> put(String id, Entity<CertificateUpload> body, Preconditions conditions) {
        Ids.require("certificate", id);
        CertificateUpload upload = ConfigWrites.requireProperties(body);
        ConfigWrites.refuseUnknownProperties(COLLECTION + "/" + id,
                UnusedProperties.ofCertificateUpload(upload.unused()));
        return put(id, Uploads.base64(upload.data(), "properties.data"), upload.password(), conditions);
    }

    /** Imports {@code data} (PFX or PEM); the password lives only in a char array cleared afterwards. */
    public Versioned<Entity<CertificateView>> put(String id, byte[] data, String password, Preconditions conditions) {
        Ids.require("certificate", id);
        char[] secret = Uploads.password(password);
        try {
            CertificateStore.Stored stored = store.put(id, data, secret, conditions);
            return new Versioned<>(Entity.of(COLLECTION, id,
                    CertificateView.imported(stored.properties(), stored.warnings(), Instant.now())),
                    store.etag(id), stored.created());
        } finally {
            Arrays.fill(secret, '\0');
            Arrays.fill(data, (byte) 0);
        }
    }

    public void delete(String id, Preconditions conditions) {
        Ids.require("certificate", id);
        store.delete(id, conditions);
    }
}
