package dev.certgate.certs;

import dev.certgate.x509.Thumbprints;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.config.CertificateReferences;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.ScopedPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who would lose their certificate if one id went: policy documents (global, API, operation, as written) with
 * an {@code authentication-certificate}, and backends whose credentials name it. A reference by id (a
 * policy's {@code certificate-id}, a backend's {@code certificateIds}) always depends on that id. A reference by
 * thumbprint depends on it only while no other id holds a certificate with that thumbprint: the same file
 * uploaded as {@code a} and {@code b} can lose either. Targets are paths relative to {@code config/}
 * ("apis/orders/policy.xml", "backends/b1").
 */
public final class CertificateUsage {
    public static final String CODE = "CertificateInUse";

    private CertificateUsage() {
    }

    /** One detail per user, in a stable order: global policy, APIs and their operations, backends. */
    public static List<ErrorDetail> users(GatewaySnapshot snapshot, String certificateId) {
        String thumbprint = thumbprintOnlyHere(snapshot, certificateId);
        List<ErrorDetail> users = new ArrayList<>();
        for (ScopedPolicy scope : ScopedPolicy.of(snapshot)) {
            if (scope.contains(policy -> policy instanceof AuthenticationCertificate presented
                    && names(presented, certificateId, thumbprint))) {
                users.add(new ErrorDetail(CODE, scope.file(), scope.description() + " (" + scope.file()
                        + ") presents certificate " + certificateId));
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

    /** Throws 409 CONFLICT with one detail per user while anything depends on the certificate. */
    public static void requireUnused(GatewaySnapshot snapshot, String certificateId) {
        List<ErrorDetail> users = users(snapshot, certificateId);
        if (!users.isEmpty()) {
            throw new CertgateException(ErrorCode.CONFLICT, "Certificate " + certificateId + " is in use by "
                    + users.size() + (users.size() == 1 ? " user" : " users")
                    + "; remove those references first", users);
        }
    }

    /** The certificate's normalised thumbprint, or null when it has none or another id holds the same one. */
    private static String thumbprintOnlyHere(GatewaySnapshot snapshot, String certificateId) {
        CertificateProperties certificate = snapshot.certificates().get(certificateId);
        if (certificate == null || certificate.thumbprint() == null) {
            return null;
        }
        String thumbprint = Thumbprints.normalize(certificate.thumbprint());
        for (Map.Entry<String, CertificateProperties> other : snapshot.certificates().entrySet()) {
            if (!other.getKey().equals(certificateId) && other.getValue().thumbprint() != null
                    && thumbprint.equals(Thumbprints.normalize(other.getValue().thumbprint()))) {
                return null;
            }
        }
        return thumbprint;
    }

    private static boolean names(AuthenticationCertificate presented, String certificateId, String thumbprint) {
        return certificateId.equals(presented.certificateId())
                || (thumbprint != null && presented.thumbprint() != null
                && thumbprint.equals(Thumbprints.normalize(presented.thumbprint())));
    }

    /** The thumbprint list counts only without {@code certificateIds}, as for the proxy and the loader (APIM's rule). */
    private static boolean credentialsUse(BackendCredentials credentials, String certificateId, String thumbprint) {
        if (!credentials.certificateIds().isEmpty()) {
            return credentials.certificateIds().stream()
                    .anyMatch(named -> CertificateReferences.idOf(named).filter(certificateId::equals).isPresent());
        }
        return thumbprint != null && credentials.certificate().stream()
                .anyMatch(listed -> thumbprint.equals(Thumbprints.normalize(listed)));
    }
}
