package dev.certgate.config;

import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.PolicyDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fail static, per API: merges a load into the configuration serving now. A file with errors never changes what
 * serves. An API whose effective configuration has errors keeps the configuration it was served with, while the
 * backends and certificates it uses still exist and no API served from the current files claims its route; else it
 * is unavailable. A backend, certificate or authority whose file has errors keeps its last good version, and so does
 * the global policy; what is clean takes effect, and what was deleted goes, unless an API kept on its last good
 * configuration still uses it (a backend whose folder is gone; a certificate whose key store is still there, which the
 * loader files as an error of the certificate).
 */
final class LastGood {
    /** The snapshot to serve (generation not yet set) and how each API fared. */
    record Merged(GatewaySnapshot snapshot, List<ApiStatus> apis) {
    }

    private LastGood() {
    }

    static Merged merge(GatewaySnapshot serving, LoadResult load) {
        GatewaySnapshot fresh = load.snapshot();
        LoadResult.Broken broken = load.broken();
        Map<String, BackendProperties> backends = kept(fresh.backends(), serving.backends(), broken.backends());
        Map<String, CertificateProperties> certificates = kept(fresh.certificates(), serving.certificates(),
                broken.certificates());
        Map<String, AuthorityConfig> authorities = kept(fresh.authorities(), serving.authorities(),
                broken.authorities());
        PolicyDocument global = broken.globalPolicy() ? serving.globalPolicy() : fresh.globalPolicy();

        Map<String, ApiConfig> apis = new TreeMap<>(fresh.apis());
        Map<String, ApiRoute> unavailable = new TreeMap<>(fresh.unavailableApis());
        List<ApiStatus> statuses = new ArrayList<>();
        fresh.apis().values().forEach(api -> statuses.add(new ApiStatus(api.id(), api.properties().path(),
                ApiStatus.State.SERVED, List.of())));
        load.apiErrors().forEach((id, errors) -> {
            ApiConfig last = serving.apis().get(id);
            boolean keep = last != null
                    && fresh.apis().values().stream().noneMatch(api -> api.route().conflictsWith(last.route()))
                    && resolves(last, backends, serving.backends(), certificates);
            if (keep) {
                apis.put(id, last);
                unavailable.remove(id);
                statuses.add(new ApiStatus(id, last.properties().path(), ApiStatus.State.LAST_GOOD, errors));
            } else {
                ApiRoute route = fresh.unavailableApis().get(id);
                statuses.add(new ApiStatus(id, route == null ? null : route.path(), ApiStatus.State.UNAVAILABLE,
                        errors));
            }
        });
        statuses.addAll(load.revisions());
        statuses.sort(java.util.Comparator.comparing(ApiStatus::id));
        GatewaySnapshot merged = new GatewaySnapshot(0, fresh.loadedAt(), global, GatewaySnapshot.sorted(apis),
                GatewaySnapshot.sorted(backends), GatewaySnapshot.sorted(certificates),
                GatewaySnapshot.sorted(authorities), GatewaySnapshot.sorted(unavailable),
                keptFromServing(statuses, broken) ? fresh.secrets().and(serving.secrets()) : fresh.secrets());
        return new Merged(merged, List.copyOf(statuses));
    }

    /**
     * Whether what {@code last} uses is all still there. A backend whose folder was deleted by hand while this API used
     * it is an invalid change like a broken file (the admin API refuses to delete a backend in use): it is put back
     * into {@code backends} with the version {@code last} was served with.
     */
    private static boolean resolves(ApiConfig last, Map<String, BackendProperties> backends,
                                    Map<String, BackendProperties> servingBackends,
                                    Map<String, CertificateProperties> certificates) {
        Map<String, BackendProperties> deleted = new TreeMap<>();
        for (String backendId : ApiUsage.of(last, servingBackends).backendIds()) {
            BackendProperties gone = servingBackends.get(backendId);
            if (!backends.containsKey(backendId) && gone != null) {
                deleted.put(backendId, gone);
            }
        }
        Map<String, BackendProperties> with = new TreeMap<>(backends);
        with.putAll(deleted);
        if (!ApiUsage.of(last, with).resolvesIn(with, certificates)) {
            return false;
        }
        backends.putAll(deleted);
        return true;
    }

    /** Whether anything serves as it was (a last good API, a broken file's entity): it may use an older value. */
    private static boolean keptFromServing(List<ApiStatus> statuses, LoadResult.Broken broken) {
        return broken.globalPolicy() || !broken.backends().isEmpty() || !broken.certificates().isEmpty()
                || statuses.stream().anyMatch(status -> status.state() == ApiStatus.State.LAST_GOOD);
    }

    /** The clean entities of the load, plus the serving version of each one whose file is broken now. */
    private static <V> Map<String, V> kept(Map<String, V> fresh, Map<String, V> serving, Set<String> broken) {
        Map<String, V> result = new TreeMap<>(fresh);
        for (String id : broken) {
            V last = serving.get(id);
            if (last != null) {
                result.put(id, last);
            }
        }
        return result;
    }

}
