package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.Ids;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.Entity;
import dev.certgate.api.model.EntityList;
import dev.certgate.config.ConfigService;
import dev.certgate.config.EntityUsers;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.HomeLayout;
import dev.certgate.config.Preconditions;

import java.util.List;
import java.util.function.Consumer;

/** Backends ({@code config/backends/<id>/backendInformation.json}); deleting one a policy names is a 409. */
public final class BackendLogic {
    static final String COLLECTION = "backends";

    private final ConfigService config;
    private final HomeLayout layout;

    public BackendLogic(CertgateRuntime runtime) {
        this.config = runtime.config();
        this.layout = config.layout();
    }

    public EntityList<Entity<BackendProperties>> list() {
        return EntityList.of(config.current().backends().keySet().stream()
                .map(id -> Entity.of(COLLECTION, id, written(id)))
                .toList());
    }

    public Versioned<Entity<BackendProperties>> get(String backendId) {
        Ids.require("backend", backendId);
        BackendProperties backend = config.current().backends().containsKey(backendId) ? written(backendId) : null;
        if (backend == null) {
            throw CertgateException.notFound("Backend", backendId);
        }
        return Versioned.read(Entity.of(COLLECTION, backendId, backend),
                config.etagOf(layout.backendInformation(backendId)));
    }

    public Versioned<Entity<BackendProperties>> put(String backendId, Entity<BackendProperties> body,
                                                    Preconditions conditions) {
        Ids.require("backend", backendId);
        BackendProperties properties = ConfigWrites.requireProperties(body);
        return ConfigWrites.putProperties(config, COLLECTION, backendId, layout.backendInformation(backendId),
                properties, conditions, null, snapshot -> written(backendId), List.of());
    }

    /**
     * As the file has it: the snapshot holds the backend with its named values put in, which may be secrets and
     * are in any case not what was written.
     */
    private BackendProperties written(String backendId) {
        return config.written(layout.backendInformation(backendId), BackendProperties.class);
    }

    public void delete(String backendId, Preconditions conditions) {
        Ids.require("backend", backendId);
        ConfigWrites.deleteTree(config, layout.backendDir(backendId), layout.backendInformation(backendId), conditions,
                "Backend", backendId, null, List.of(notInUse(backendId)));
    }

    private static Consumer<GatewaySnapshot> notInUse(String backendId) {
        return snapshot -> {
            List<ErrorDetail> users = EntityUsers.ofBackend(snapshot, backendId).stream()
                    .map(user -> new ErrorDetail("BackendInUse", user.id(),
                            "<set-backend-service backend-id=\"" + backendId + "\"> in the policy " + user.id()))
                    .toList();
            if (!users.isEmpty()) {
                throw new CertgateException(ErrorCode.CONFLICT,
                        "Backend '" + backendId + "' is still used by " + users.size() + " policy(ies)", users);
            }
        };
    }
}
