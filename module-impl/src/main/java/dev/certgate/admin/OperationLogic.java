package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.CertgateException;
import dev.certgate.api.Ids;
import dev.certgate.api.model.Entity;
import dev.certgate.api.model.EntityList;
import dev.certgate.api.model.OperationProperties;
import dev.certgate.config.ApiConfig;
import dev.certgate.config.ConfigService;
import dev.certgate.config.HomeLayout;
import dev.certgate.config.OperationConfig;
import dev.certgate.config.Preconditions;

import java.util.List;

/** Operations of one API ({@code config/apis/<id>/operations/<opId>/operationInformation.json}). */
public final class OperationLogic {
    private final ConfigService config;
    private final HomeLayout layout;

    public OperationLogic(CertgateRuntime runtime) {
        this.config = runtime.config();
        this.layout = config.layout();
    }

    static String collection(String apiId) {
        return ApiLogic.COLLECTION + "/" + apiId + "/operations";
    }

    public EntityList<Entity<OperationProperties>> list(String apiId) {
        return EntityList.of(api(apiId).operations().values().stream()
                .map(op -> Entity.of(collection(apiId), op.id(), op.properties()))
                .toList());
    }

    public Versioned<Entity<OperationProperties>> get(String apiId, String opId) {
        Ids.require("api", apiId);
        Ids.require("operation", opId);
        return ConfigWrites.readApiFile(config, collection(apiId), opId, "Operation",
                layout.operationInformation(apiId, opId), OperationProperties.class, apiId, () -> {
                    OperationConfig operation = api(apiId).operations().get(opId);
                    return operation == null ? null : operation.properties();
                });
    }

    public Versioned<Entity<OperationProperties>> put(String apiId, String opId, Entity<OperationProperties> body,
                                                      Preconditions conditions) {
        Ids.require("api", apiId);
        Ids.require("operation", opId);
        OperationProperties properties = ConfigWrites.requireProperties(body);
        return ConfigWrites.putProperties(config, collection(apiId), opId, layout.operationInformation(apiId, opId),
                properties, conditions, apiId, snapshot -> {
                    ApiConfig api = snapshot.apis().get(apiId);
                    OperationConfig op = api == null ? null : api.operations().get(opId);
                    return op == null ? null : op.properties();
                }, List.of(ConfigWrites.exists(layout.apiInformation(apiId), "API", apiId),
                        ConfigWrites.withoutRevisions(layout, apiId)));
    }

    /** Answers the warning that the API does not serve its files, or null. */
    public String delete(String apiId, String opId, Preconditions conditions) {
        Ids.require("api", apiId);
        Ids.require("operation", opId);
        return ConfigWrites.deleteTree(config, layout.operationDir(apiId, opId),
                layout.operationInformation(apiId, opId), conditions, "Operation", opId, apiId,
                List.of(ConfigWrites.withoutRevisions(layout, apiId)));
    }

    private ApiConfig api(String apiId) {
        Ids.require("api", apiId);
        ApiConfig api = config.current().apis().get(apiId);
        if (api == null) {
            throw CertgateException.notFound("API", apiId);
        }
        return api;
    }
}
