package dev.certgate.config;

import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.x509.Thumbprints;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The one answer to "who uses this certificate or backend", for refusing a delete (409), the certificate inventory
 * and the expiry warnings. Policies are walked by {@link ScopedPolicy}; fragments are already inlined there, so a
 * fragment that names a certificate shows as each policy that includes it.
 */
public final class EntityUsers {

    /** What a user is; {@link #API} and {@link #OPERATION} are the routes whose requests present a certificate. */
    public enum Kind { POLICY, BACKEND, API, OPERATION }

    /**
     * One user: {@code id} is its admin API id ("/apis/a/policies/policy", "/backends/b1", "/apis/a",
     * "/apis/a/operations/o"), {@code file} its file relative to {@code config/} ("apis/a/policy.xml",
     * "backends/b1"; the API's or operation's folder for routes), {@code description} a sentence's subject.
     */
    public record User(Kind kind, String id, String file, String description) {
    }

    private EntityUsers() {
    }

    /** The policies that route to the backend with {@code <set-backend-service backend-id="…">}. */
    public static List<User> ofBackend(GatewaySnapshot snapshot, String backendId) {
        return policies(snapshot, policy -> policy instanceof SetBackendService set
                && backendId.equals(set.backendId()));
    }

    /**
     * What a delete of the certificate would break: the policies (as written) and backends that name it. A
     * reference by thumbprint depends on this id only while another id holds the same certificate: the same file
     * uploaded as {@code a} and {@code b} can lose either. {@code holdsItsCertificate} tells whether another id's key
     * store really holds what its metadata names: metadata edited by hand to claim the thumbprint holds nothing.
     */
    public static List<User> dependingOnCertificate(GatewaySnapshot snapshot, String certificateId,
                                                    Predicate<String> holdsItsCertificate) {
        Reference reference = Reference.of(snapshot, certificateId, false, holdsItsCertificate);
        List<User> users = new ArrayList<>(policies(snapshot, reference::namedBy));
        users.addAll(backends(snapshot, reference));
        return List.copyOf(users);
    }

    /**
     * Everything that uses the certificate, for the inventory: the policies and backends that name it (by thumbprint
     * too when another id holds the same certificate), then the APIs and operations whose requests present it, by
     * their composed policies as the proxy runs them (a policy's choice wins over a backend's credentials).
     */
    public static List<User> ofCertificate(GatewaySnapshot snapshot, String certificateId) {
        Reference reference = Reference.of(snapshot, certificateId, true, other -> true);
        List<User> users = new ArrayList<>(policies(snapshot, reference::namedBy));
        users.addAll(backends(snapshot, reference));
        for (ApiConfig api : snapshot.apis().values()) {
            String apiId = "/apis/" + api.id();
            String apiFile = "apis/" + api.id();
            if (api.operations().isEmpty()) {
                if (presents(api.effectivePolicy(), snapshot, reference)) {
                    users.add(new User(Kind.API, apiId, apiFile, "API " + api.id()));
                }
                continue;
            }
            List<User> operations = new ArrayList<>();
            for (OperationConfig operation : api.operations().values()) {
                if (presents(operation.effectivePolicy(), snapshot, reference)) {
                    operations.add(new User(Kind.OPERATION, apiId + "/operations/" + operation.id(),
                            apiFile + "/operations/" + operation.id(),
                            "Operation " + operation.id() + " of API " + api.id()));
                }
            }
            if (!operations.isEmpty()) {
                users.add(new User(Kind.API, apiId, apiFile, "API " + api.id()));
                users.addAll(operations);
            }
        }
        return List.copyOf(users);
    }

    private static List<User> policies(GatewaySnapshot snapshot, Predicate<Policy> test) {
        return ScopedPolicy.of(snapshot).stream()
                .filter(scope -> scope.contains(test))
                .map(scope -> new User(Kind.POLICY, scope.entityId(), scope.file(), scope.description()))
                .toList();
    }

    private static List<User> backends(GatewaySnapshot snapshot, Reference reference) {
        List<User> users = new ArrayList<>();
        snapshot.backends().forEach((backendId, backend) -> {
            if (reference.inCredentials(backend.credentials())) {
                users.add(new User(Kind.BACKEND, "/backends/" + backendId, "backends/" + backendId,
                        "Backend " + backendId));
            }
        });
        return users;
    }

    /** Replays the inbound section as the proxy's pipeline does: the last certificate policy, else the backend's. */
    private static boolean presents(PolicyDocument composed, GatewaySnapshot snapshot, Reference reference) {
        if (composed == null) {
            return false;
        }
        AuthenticationCertificate chosen = null;
        BackendProperties backend = null;
        for (Policy policy : composed.inbound()) {
            if (policy instanceof AuthenticationCertificate certificate) {
                chosen = certificate;
            } else if (policy instanceof SetBackendService service) {
                backend = service.backendId() == null ? null : snapshot.backends().get(service.backendId());
            }
        }
        if (chosen != null) {
            return reference.namedBy(chosen);
        }
        return backend != null && reference.inCredentials(backend.credentials());
    }

    /** How a certificate id is named: by the id, or by its normalised thumbprint (null when that does not count). */
    private record Reference(String certificateId, String thumbprint) {

        static Reference of(GatewaySnapshot snapshot, String certificateId, boolean sharedThumbprintCounts,
                            Predicate<String> holdsItsCertificate) {
            CertificateProperties certificate = snapshot.certificates().get(certificateId);
            if (certificate == null || certificate.thumbprint() == null) {
                return new Reference(certificateId, null);
            }
            String thumbprint = Thumbprints.normalize(certificate.thumbprint());
            if (!sharedThumbprintCounts) {
                for (Map.Entry<String, CertificateProperties> other : snapshot.certificates().entrySet()) {
                    if (!other.getKey().equals(certificateId) && other.getValue().thumbprint() != null
                            && thumbprint.equals(Thumbprints.normalize(other.getValue().thumbprint()))
                            && holdsItsCertificate.test(other.getKey())) {
                        return new Reference(certificateId, null);
                    }
                }
            }
            return new Reference(certificateId, thumbprint);
        }

        boolean namedBy(Policy policy) {
            return policy instanceof AuthenticationCertificate presented
                    && (certificateId.equals(presented.certificateId()) || thumbprint != null
                    && presented.thumbprint() != null && thumbprint.equals(Thumbprints.normalize(presented.thumbprint())));
        }

        /** The thumbprint list counts only without {@code certificateIds}, as for the proxy and the loader (APIM's rule). */
        boolean inCredentials(BackendCredentials credentials) {
            if (!credentials.certificateIds().isEmpty()) {
                return credentials.certificateIds().stream()
                        .anyMatch(named -> CertificateReferences.idOf(named).filter(certificateId::equals).isPresent());
            }
            return thumbprint != null && credentials.certificate().stream()
                    .anyMatch(listed -> thumbprint.equals(Thumbprints.normalize(listed)));
        }
    }
}
