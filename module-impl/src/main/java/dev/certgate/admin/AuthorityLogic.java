package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.CertgateException;
import dev.certgate.api.Ids;
import dev.certgate.api.model.AuthorityProperties;
import dev.certgate.api.model.Entity;
import dev.certgate.api.model.EntityList;
import dev.certgate.certs.AuthorityStore;
import dev.certgate.config.ConfigService;
import dev.certgate.config.Preconditions;
import dev.certgate.config.UnusedProperties;

import java.time.Instant;

/** CA certificates trusted for back-end chains, in addition to the JDK's. */
public final class AuthorityLogic {
    static final String COLLECTION = "authorities";

    private final ConfigService config;
    private final AuthorityStore store;

    public AuthorityLogic(CertgateRuntime runtime) {
        this.config = runtime.config();
        this.store = runtime.authorities();
    }

    public EntityList<Entity<AuthorityView>> list() {
        Instant now = Instant.now();
        return EntityList.of(config.current().authorities().values().stream()
                .map(ca -> Entity.of(COLLECTION, ca.id(), AuthorityView.of(ca.properties(), now)))
                .toList());
    }

    public Versioned<Entity<AuthorityView>> get(String id) {
        Ids.require("authority", id);
        String etag = store.etagForRead(id);
        AuthorityProperties properties = store.get(id).orElseThrow(() -> CertgateException.notFound("Authority", id));
        return Versioned.read(Entity.of(COLLECTION, id, AuthorityView.of(properties, Instant.now())), etag);
    }

    public Versioned<Entity<AuthorityView>> put(String id, Entity<AuthorityUpload> body, Preconditions conditions) {
        Ids.require("authority", id);
        AuthorityUpload upload = ConfigWrites.requireProperties(body);
        ConfigWrites.refuseUnknownProperties(COLLECTION + "/" + id,
                UnusedProperties.ofAuthorityUpload(upload.unused()));
        AuthorityStore.Stored stored = store.put(id, Uploads.base64(upload.data(), "properties.data"), conditions);
        return new Versioned<>(Entity.of(COLLECTION, id, AuthorityView.of(stored.properties(), Instant.now())),
                store.etag(id), stored.created(), stored.warning());
    }

    public void delete(String id, Preconditions conditions) {
        Ids.require("authority", id);
        store.delete(id, conditions);
    }
}
