package dev.certgate.certs;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.config.EntityUsers;
import dev.certgate.config.GatewaySnapshot;

import java.util.List;
import java.util.function.Predicate;

/**
 * Who would lose their certificate if one id went ({@link EntityUsers#dependingOnCertificate}), as the details of a
 * 409. Targets are paths relative to {@code config/} ("apis/orders/policy.xml", "backends/b1").
 */
public final class CertificateUsage {
    public static final String CODE = "CertificateInUse";

    private CertificateUsage() {
    }

    /**
     * One detail per user, in a stable order: global policy, APIs and their operations, backends. Another id counts as
     * holding the same certificate only where {@code holdsItsCertificate} says its key store does.
     */
    public static List<ErrorDetail> users(GatewaySnapshot snapshot, String certificateId,
                                          Predicate<String> holdsItsCertificate) {
        return EntityUsers.dependingOnCertificate(snapshot, certificateId, holdsItsCertificate).stream()
                .map(user -> new ErrorDetail(CODE, user.file(), user.kind() == EntityUsers.Kind.BACKEND
                        ? user.description() + " uses certificate " + certificateId + " in its credentials"
                        : user.description() + " (" + user.file() + ") presents certificate " + certificateId))
                .toList();
    }

    /** Throws 409 CONFLICT with one detail per user while anything depends on the certificate. */
    public static void requireUnused(GatewaySnapshot snapshot, String certificateId,
                                     Predicate<String> holdsItsCertificate) {
        List<ErrorDetail> users = users(snapshot, certificateId, holdsItsCertificate);
        if (!users.isEmpty()) {
            throw new CertgateException(ErrorCode.CONFLICT, "Certificate " + certificateId + " is in use by "
                    + users.size() + (users.size() == 1 ? " user" : " users")
                    + "; remove those references first", users);
        }
    }
}
