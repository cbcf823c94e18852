package dev.certgate.config;

import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.Section;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.x509.Thumbprints;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an API's effective configuration uses beyond its own files: the backends its composed policies route to,
 * and the certificates those policies and backends present (by id, or by thumbprint). An error in any of them makes
 * the API unavailable, and an API kept on its last good configuration can only be kept while they all still exist.
 */
record ApiUsage(Set<String> backendIds, Set<String> certificateIds, Set<String> thumbprints) {

    static ApiUsage of(ApiConfig api, Map<String, BackendProperties> backends) {
        Set<String> backendIds = new TreeSet<>();
        Set<String> certificateIds = new TreeSet<>();
        Set<String> thumbprints = new TreeSet<>();
        for (PolicyDocument document : effectiveDocuments(api)) {
            for (Section section : Section.values()) {
                for (Policy policy : document.section(section)) {
                    if (policy instanceof SetBackendService service && service.backendId() != null) {
                        backendIds.add(service.backendId());
                    } else if (policy instanceof AuthenticationCertificate certificate) {
                        if (certificate.certificateId() != null) {
                            certificateIds.add(certificate.certificateId());
                        } else if (certificate.thumbprint() != null) {
                            thumbprints.add(Thumbprints.normalize(certificate.thumbprint()));
                        }
                    }
                }
            }
        }
        for (String backendId : backendIds) {
            BackendProperties backend = backends.get(backendId);
            if (backend != null) {
                addCredentials(backend.credentials(), certificateIds, thumbprints);
            }
        }
        return new ApiUsage(Set.copyOf(backendIds), Set.copyOf(certificateIds), Set.copyOf(thumbprints));
    }

    /** The ids of the certificates used, those named by thumbprint included (every id that holds it). */
    Set<String> certificateIdsIn(Map<String, CertificateProperties> certificates) {
        Set<String> ids = new TreeSet<>(certificateIds);
        certificates.forEach((id, certificate) -> {
            if (certificate.thumbprint() != null && thumbprints.contains(Thumbprints.normalize(certificate.thumbprint()))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Whether every backend, certificate id and thumbprint used is in these maps. */
    boolean resolvesIn(Map<String, BackendProperties> backends, Map<String, CertificateProperties> certificates) {
        if (!backends.keySet().containsAll(backendIds) || !certificates.keySet().containsAll(certificateIds)) {
            return false;
        }
        Set<String> held = new TreeSet<>();
        certificates.values().forEach(c -> {
            if (c.thumbprint() != null) {
                held.add(Thumbprints.normalize(c.thumbprint()));
            }
        });
        return held.containsAll(thumbprints);
    }

    /** The composed documents requests of the API run: each operation's, or the API's own when it has none. */
    private static List<PolicyDocument> effectiveDocuments(ApiConfig api) {
        List<PolicyDocument> documents = new ArrayList<>();
        if (api.operations().isEmpty()) {
            documents.add(api.effectivePolicy());
        } else {
            api.operations().values().forEach(operation -> documents.add(operation.effectivePolicy()));
        }
        documents.removeIf(document -> document == null);
        return documents;
    }

    /** The thumbprint list counts only without certificateIds (APIM's rule, as for the proxy). */
    private static void addCredentials(BackendCredentials credentials, Set<String> certificateIds,
                                       Set<String> thumbprints) {
        if (!credentials.certificateIds().isEmpty()) {
            credentials.certificateIds().forEach(reference -> CertificateReferences.idOf(reference)
                    .ifPresent(certificateIds::add));
        } else {
            credentials.certificate().forEach(thumbprint -> thumbprints.add(Thumbprints.normalize(thumbprint)));
        }
    }
}
