package dev.certgate.certs;

import dev.certgate.x509.Thumbprints;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.Section;
import dev.certgate.config.ApiConfig;
import dev.certgate.config.CertificateReferences;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.OperationConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Who uses a certificate in a configuration: policy documents (global, API, operation, as written) with an
 * {@code authentication-certificate} naming its id or thumbprint, and backends whose credentials name it.
 * Targets are paths relative to {@code config/} ("apis/orders/policy.xml", "backends/b1").
 */
public final class CertificateUsage {
    public static final String CODE = "CertificateInUse";

    private CertificateUsage() {
    }

    /** One detail per user, in a stable order: global policy, APIs and their operations, backends. */
    public static List<ErrorDetail> users(GatewaySnapshot snapshot, String certificateId) {
        CertificateProperties certificate = snapshot.certificates().get(certificateId);
        String thumbprint = certificate == null || certificate.thumbprint() == null ? null
                : Thumbprints.normalize(certificate.thumbprint());
        List<ErrorDetail> users = new ArrayList<>();
        if (policyUses(snapshot.globalPolicy(), certificateId, thumbprint)) {
            users.add(policyUser("policy.xml", "The global policy", certificateId));
        }
        for (ApiConfig api : snapshot.apis().values()) {
            String apiFolder = "apis/" + api.id();
            if (policyUses(api.policy(), certificateId, thumbprint)) {
                users.add(policyUser(apiFolder + "/policy.xml", "The policy of API " + api.id(), certificateId));
            }
            for (OperationConfig operation : api.operations().values()) {
                if (policyUses(operation.policy(), certificateId, thumbprint)) {
                    users.add(policyUser(apiFolder + "/operations/" + operation.id() + "/policy.xml",
                            "The policy of operation " + operation.id() + " of API " + api.id(), certificateId));
                }
            }
        }
        snapshot.backends().forEach((backendId, backend) -> {
            if (credentialsUse(backend.credentials(), certificateId, thumbprint)) {
                users.add(new ErrorDetail(CODE, "backends/" + backendId,
                        "Backend " + backendId + " uses certificate " + certificateId + " in its credentials"));
            }
        });
        return List.copyOf(users);
    }

    /** Throws 409 CONFLICT with one detail per user while anything uses the certificate. */
    public static void requireUnused(GatewaySnapshot snapshot, String certificateId) {
        List<ErrorDetail> users = users(snapshot, certificateId);
        if (!users.isEmpty()) {
            throw new CertgateException(ErrorCode.CONFLICT, "Certificate " + certificateId + " is in use by "
                    + users.size() + (users.size() == 1 ? " user" : " users")
                    + "; remove those references first", users);
        }
    }

    private static ErrorDetail policyUser(String target, String what, String certificateId) {
        return new ErrorDetail(CODE, target, what + " (" + target + ") presents certificate " + certificateId);
    }

    private static boolean policyUses(PolicyDocument document, String certificateId, String thumbprint) {
        if (document == null) {
            return false;
        }
        for (Section section : Section.values()) {
            for (Policy policy : document.section(section)) {
                if (policy instanceof AuthenticationCertificate presented && names(presented, certificateId, thumbprint)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean names(AuthenticationCertificate presented, String certificateId, String thumbprint) {
        return certificateId.equals(presented.certificateId())
                || (thumbprint != null && presented.thumbprint() != null
                && thumbprint.equals(Thumbprints.normalize(presented.thumbprint())));
    }

    private static boolean credentialsUse(BackendCredentials credentials, String certificateId, String thumbprint) {
        boolean byId = credentials.certificateIds().stream()
                .anyMatch(named -> CertificateReferences.idOf(named).filter(certificateId::equals).isPresent());
        boolean byThumbprint = thumbprint != null && credentials.certificate().stream()
                .anyMatch(listed -> thumbprint.equals(Thumbprints.normalize(listed)));
        return byId || byThumbprint;
    }
}
