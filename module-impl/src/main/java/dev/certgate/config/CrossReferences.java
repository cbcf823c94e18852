package dev.certgate.config;

import dev.certgate.x509.Thumbprints;

import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.Section;
import dev.certgate.api.policy.SetBackendService;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that every certificate and backend a file names exists: a dangling reference is an error,
 * never a request-time surprise (CONTRACT §3: a policy naming a missing certificate is invalid).
 */
final class CrossReferences {
    private final Map<String, CertificateProperties> certificates;
    private final Set<String> thumbprints;
    private final Set<String> backendIds;
    private final List<ConfigError> errors;

    CrossReferences(Map<String, CertificateProperties> certificates, Set<String> backendIds, List<ConfigError> errors) {
        this.certificates = certificates;
        this.thumbprints = certificates.values().stream()
                .map(c -> Thumbprints.normalize(c.thumbprint()))
                .collect(Collectors.toUnmodifiableSet());
        this.backendIds = backendIds;
        this.errors = errors;
    }

    void checkBackend(String file, BackendProperties backend) {
        List<String> ids = backend.credentials().certificateIds();
        for (int i = 0; i < ids.size(); i++) {
            String reference = ids.get(i);
            String where = "credentials.certificateIds[" + i + "]";
            CertificateReferences.idOf(reference).ifPresentOrElse(
                    id -> {
                        if (!certificates.containsKey(id)) {
                            errors.add(ConfigError.of(file, where + " names certificate \"" + id
                                    + "\", which does not exist in config/certificates"));
                        }
                    },
                    () -> errors.add(ConfigError.of(file, where + " \"" + reference
                            + "\" is not of the form \"/certificates/<id>\"")));
        }
        // APIM ignores the thumbprint list when certificateIds is given; so does the proxy, so only check it otherwise.
        if (ids.isEmpty()) {
            List<String> listed = backend.credentials().certificate();
            for (int i = 0; i < listed.size(); i++) {
                checkThumbprint(file, "credentials.certificate[" + i + "]", listed.get(i));
            }
        }
    }

    void checkPolicy(String file, PolicyDocument document) {
        for (Section section : Section.values()) {
            for (Policy policy : document.section(section)) {
                if (policy instanceof AuthenticationCertificate certificate) {
                    checkAuthenticationCertificate(file, certificate);
                } else if (policy instanceof SetBackendService backend && backend.backendId() != null
                        && !backendIds.contains(backend.backendId())) {
                    errors.add(ConfigError.of(file, "<set-backend-service>: backend-id \"" + backend.backendId()
                            + "\" does not exist in config/backends"));
                }
            }
        }
    }

    private void checkAuthenticationCertificate(String file, AuthenticationCertificate policy) {
        if (policy.certificateId() != null) {
            if (!certificates.containsKey(policy.certificateId())) {
                errors.add(ConfigError.of(file, "<authentication-certificate>: certificate-id \""
                        + policy.certificateId() + "\" does not exist in config/certificates"));
            }
        } else {
            checkThumbprint(file, "<authentication-certificate>: thumbprint", policy.thumbprint());
        }
    }

    private void checkThumbprint(String file, String where, String thumbprint) {
        String normalized = thumbprint == null ? "" : Thumbprints.normalize(thumbprint);
        if (!thumbprints.contains(normalized)) {
            errors.add(ConfigError.of(file, where + " \"" + normalized
                    + "\" matches no certificate in config/certificates"));
        }
    }
}
