package dev.certgate.api.policy;

/**
 * {@code <authentication-certificate>}: exactly one of {@code thumbprint} (normalised: upper-case hex,
 * no colons or spaces) and {@code certificateId} is non-null.
 */
public record AuthenticationCertificate(String thumbprint, String certificateId) implements Policy {
    public AuthenticationCertificate {
        if ((thumbprint == null) == (certificateId == null)) {
            throw new IllegalArgumentException("exactly one of thumbprint and certificate-id is required");
        }
    }

    public static AuthenticationCertificate byThumbprint(String thumbprint) {
        return new AuthenticationCertificate(thumbprint, null);
    }

    public static AuthenticationCertificate byId(String certificateId) {
        return new AuthenticationCertificate(null, certificateId);
    }
}
