package dev.certgate.config;

import dev.certgate.x509.Thumbprints;

import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.Section;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.policy.PolicyParser;
import dev.certgate.policy.SecretValues;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that every certificate and backend a file names exists: a dangling reference is an error at the line
 * and column that names it, never a request-time surprise (CONTRACT §3: a policy naming a missing certificate
 * is invalid). A certificate or backend whose own file is broken counts as existing here: its file already has
 * an error, and the files naming it are not what must be fixed.
 */
final class CrossReferences {
    private final Set<String> certificateIds;
    private final Set<String> thumbprints;
    private final Set<String> backendIds;
    private final List<ConfigError> errors;
    /** Secret named values may have been put into what is checked: their values never go into a message. */
    private final SecretValues secrets;

    /**
     * @param certificates   the certificates that loaded
     * @param certificateIds the ids of every certificate with an information file, loaded or not
     * @param backendIds     the ids of every backend with an information file, loaded or not
     */
    CrossReferences(Map<String, CertificateProperties> certificates, Set<String> certificateIds, Set<String> backendIds,
                    SecretValues secrets, List<ConfigError> errors) {
        this.secrets = secrets;
        this.certificateIds = certificateIds;
        this.thumbprints = certificates.values().stream()
                .map(c -> Thumbprints.normalize(c.thumbprint()))
                .collect(Collectors.toUnmodifiableSet());
        this.backendIds = backendIds;
        this.errors = errors;
    }

    void checkBackend(String file, BackendProperties backend, JsonPositions positions) {
        List<String> ids = backend.credentials().certificateIds();
        for (int i = 0; i < ids.size(); i++) {
            String reference = ids.get(i);
            String where = "credentials.certificateIds[" + i + "]";
            Object[] path = {"properties", "credentials", "certificateIds", i};
            CertificateReferences.idOf(reference).ifPresentOrElse(
                    id -> {
                        if (!certificateIds.contains(id)) {
                            errors.add(positions.error(file, secrets.keepOut(where + " names certificate \""
                                    + id + "\", which does not exist in config/certificates"), path));
                        }
                    },
                    () -> errors.add(positions.error(file, secrets.keepOut(where + " \"" + reference
                            + "\" is not of the form \"/certificates/<id>\""), path)));
        }
        // APIM ignores the thumbprint list when certificateIds is given; so does the proxy, so only check it otherwise.
        if (ids.isEmpty()) {
            List<String> listed = backend.credentials().certificate();
            for (int i = 0; i < listed.size(); i++) {
                String normalized = normalized(listed.get(i));
                if (!thumbprints.contains(normalized)) {
                    errors.add(positions.error(file, secrets.keepOut("credentials.certificate[" + i + "] "
                            + noMatch(normalized)), "properties", "credentials", "certificate", i));
                }
            }
        }
    }

    void checkPolicy(String file, PolicyParser.Located located) {
        for (Section section : Section.values()) {
            for (Policy policy : located.document().section(section)) {
                String problem = problem(policy);
                problem = problem == null ? null : secrets.keepOut(problem);
                if (problem != null) {
                    PolicyParser.Position at = located.positionOf(policy);
                    errors.add(at == null ? ConfigError.of(file, problem)
                            : new ConfigError(at.source(), at.line(), at.column(), problem));
                }
            }
        }
    }

    /** What is wrong with the references of one policy, or null. */
    private String problem(Policy policy) {
        if (policy instanceof AuthenticationCertificate certificate) {
            if (certificate.certificateId() != null) {
                return certificateIds.contains(certificate.certificateId()) ? null
                        : "<authentication-certificate>: certificate-id \"" + certificate.certificateId()
                        + "\" does not exist in config/certificates";
            }
            String normalized = normalized(certificate.thumbprint());
            return thumbprints.contains(normalized) ? null : "<authentication-certificate>: thumbprint " + noMatch(normalized);
        }
        if (policy instanceof SetBackendService backend && backend.backendId() != null
                && !backendIds.contains(backend.backendId())) {
            return "<set-backend-service>: backend-id \"" + backend.backendId() + "\" does not exist in config/backends";
        }
        return null;
    }

    private static String normalized(String thumbprint) {
        return thumbprint == null ? "" : Thumbprints.normalize(thumbprint);
    }

    private static String noMatch(String normalized) {
        return "\"" + normalized + "\" matches no certificate in config/certificates";
    }
}
