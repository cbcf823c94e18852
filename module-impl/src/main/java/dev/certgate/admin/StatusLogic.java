package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.config.ApiStatus;
import dev.certgate.config.ConfigError;
import dev.certgate.config.ConfigStatus;
import dev.certgate.config.ConfigWarning;
import dev.certgate.config.EntityUsers;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.HomeLayout;
import dev.certgate.inventory.ExpiryWarnings;
import dev.certgate.outbound.ClientPools;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /admin/status}: version, the configuration's generation, errors and warnings, counts, and pools. */
public final class StatusLogic {
    private final CertgateRuntime runtime;

    public StatusLogic(CertgateRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * The status of the files as they are now: a hand edit made just before is loaded first, so a script that edits
     * and then asks learns at once whether its edit serves, instead of after the watch's debounce or re-scan.
     */
    public StatusView status() {
        runtime.config().loadIfChanged();
        ConfigStatus status = runtime.config().status();
        GatewaySnapshot snapshot = runtime.config().current();
        List<StatusView.Problem> errors = status.errors().stream().map(StatusLogic::problem).toList();
        return new StatusView(BuildVersion.current(), status.generation(), status.loadedAt(),
                errors.isEmpty() ? null : errors.get(0), errors, warnings(status.warnings(), snapshot), apis(status.apis()),
                status.products().stream().map(p -> new StatusView.Product(p.id(), p.displayName(), p.hasPolicy(),
                        false)).toList(),
                counts(snapshot), pools(runtime.pools()));
    }

    private static StatusView.Apis apis(List<ApiStatus> apis) {
        List<StatusView.Api> served = new ArrayList<>();
        List<StatusView.Api> unavailable = new ArrayList<>();
        List<StatusView.Api> revisions = new ArrayList<>();
        for (ApiStatus api : apis) {
            StatusView.Api view = new StatusView.Api(api.id(), api.path(), api.state() == ApiStatus.State.LAST_GOOD,
                    api.errors().stream().map(StatusLogic::problem).toList());
            switch (api.state()) {
                case UNAVAILABLE -> unavailable.add(view);
                case NOT_CURRENT -> revisions.add(view);
                default -> served.add(view);
            }
        }
        return new StatusView.Apis(served, unavailable, revisions);
    }

    private static StatusView.Problem problem(ConfigError error) {
        return new StatusView.Problem(error.file(), error.line(), error.column(), error.message());
    }

    /**
     * The load's warnings, then what expires within the warning days, computed now (time moves, files need not), then
     * the certificates whose key store could not serve at their last use.
     */
    private List<StatusView.Warning> warnings(List<ConfigWarning> warnings, GatewaySnapshot snapshot) {
        List<StatusView.Warning> result = new ArrayList<>();
        warnings.forEach(w -> result.add(new StatusView.Warning(w.code(), w.file(), w.line(), w.column(),
                w.message())));
        ExpiryWarnings.of(snapshot, runtime.config().layout(), Instant.now(), runtime.expiry().warningDays(),
                runtime.certificates().keys()::storedNotAfter)
                .forEach(w -> result.add(new StatusView.Warning(w.code(), w.file(), null, null, w.message(),
                        w.certificateId(), w.authorityId(), w.notAfter(), w.daysToExpiry(),
                        w.users() == null ? null : UsersView.of(w.users()))));
        runtime.certificates().keys().unusable().forEach((id, problem) -> result.add(unusable(id, problem, snapshot)));
        return result;
    }

    private StatusView.Warning unusable(String certificateId, String problem, GatewaySnapshot snapshot) {
        HomeLayout layout = runtime.config().layout();
        return new StatusView.Warning("CertificateUnusable", layout.relative(layout.certificateInformation(
                certificateId)), null, null, "Certificate " + certificateId + " cannot be presented: " + problem,
                certificateId, null, null, null, UsersView.of(EntityUsers.ofCertificate(snapshot, certificateId)));
    }

    private static StatusView.Counts counts(GatewaySnapshot snapshot) {
        return new StatusView.Counts(snapshot.apis().size(), snapshot.backends().size(),
                snapshot.certificates().size(), snapshot.authorities().size());
    }

    private static List<StatusView.Pool> pools(ClientPools pools) {
        return pools.stats().stream()
                .map(p -> new StatusView.Pool(p.certificateId(), p.thumbprint(), p.validateCertificateChain(),
                        p.validateCertificateName(), p.leased(), p.available(), p.pending(), p.max(), p.handshakes()))
                .toList();
    }
}
