package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.Ids;
import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.Entity;
import dev.certgate.api.model.EntityList;
import dev.certgate.config.ApiConfig;
import dev.certgate.config.ConfigService;
import dev.certgate.config.HomeLayout;
import dev.certgate.config.Preconditions;

import java.util.List;

/** APIs ({@code config/apis/<id>/apiInformation.json}): list, read, create or replace, delete with the folder. */
public final class ApiLogic {
    static final String COLLECTION = "apis";

    private final ConfigService config;
    private final HomeLayout layout;

    public ApiLogic(CertgateRuntime runtime) {
        this.config = runtime.config();
        this.layout = config.layout();
    }

    public EntityList<Entity<ApiProperties>> list() {
        return EntityList.of(config.current().apis().values().stream()
                .map(api -> Entity.of(COLLECTION, api.id(), api.properties()))
                .toList());
    }

    public Versioned<Entity<ApiProperties>> get(String apiId) {
        Ids.require("api", apiId);
        return ConfigWrites.readApiFile(config, COLLECTION, apiId, "API", layout.apiInformation(apiId),
                ApiProperties.class, apiId, () -> {
                    ApiConfig api = config.current().apis().get(apiId);
                    return api == null ? null : api.properties();
                });
    }

    public Versioned<Entity<ApiProperties>> put(String apiId, Entity<ApiProperties> body, Preconditions conditions) {
        Ids.require("api", apiId);
        ApiProperties properties = ConfigWrites.requireProperties(body);
        return ConfigWrites.putProperties(config, COLLECTION, apiId, layout.apiInformation(apiId), properties,
                conditions, apiId, snapshot -> {
                    ApiConfig api = snapshot.apis().get(apiId);
                    return api == null ? null : api.properties();
                }, List.of(ConfigWrites.withoutRevisions(layout, apiId)));
    }

    /** Removes the API's whole folder: its operations and policies go with it. */
    public void delete(String apiId, Preconditions conditions) {
        Ids.require("api", apiId);
        ConfigWrites.deleteTree(config, layout.apiDir(apiId), layout.apiInformation(apiId), conditions, "API", apiId,
                null, List.of(ConfigWrites.withoutRevisions(layout, apiId)));
    }
}
