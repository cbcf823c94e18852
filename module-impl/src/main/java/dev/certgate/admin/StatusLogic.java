package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.config.ConfigError;
import dev.certgate.config.ConfigStatus;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.outbound.ClientPools;

import java.util.List;

/** {@code GET /admin/status}: version, the configuration's generation and last error, counts, and pools. */
public final class StatusLogic {
    private final CertgateRuntime runtime;

    public StatusLogic(CertgateRuntime runtime) {
        this.runtime = runtime;
    }

    public StatusView status() {
        ConfigStatus status = runtime.config().status();
        GatewaySnapshot snapshot = runtime.config().current();
        return new StatusView(BuildVersion.current(), status.generation(), status.loadedAt(),
                lastError(status.lastError()), counts(snapshot), pools(runtime.pools()));
    }

    private static StatusView.LastError lastError(ConfigError error) {
        return error == null ? null
                : new StatusView.LastError(error.file(), error.line(), error.column(), error.message());
    }

    private static StatusView.Counts counts(GatewaySnapshot snapshot) {
        return new StatusView.Counts(snapshot.apis().size(), snapshot.backends().size(),
                snapshot.certificates().size(), snapshot.authorities().size());
    }

    private static List<StatusView.Pool> pools(ClientPools pools) {
        return pools.stats().stream()
                .map(p -> new StatusView.Pool(p.certificateId(), p.thumbprint(), p.leased(), p.available(),
                        p.pending(), p.max(), p.handshakes()))
                .toList();
    }
}
