package dev.certgate.api.model;

/** A backend's {@code tls} block; both checks default to on (CONTRACT §2). */
public record TlsSettings(Boolean validateCertificateChain, Boolean validateCertificateName) {
    public static final TlsSettings DEFAULT = new TlsSettings(true, true);

    public TlsSettings {
        validateCertificateChain = validateCertificateChain == null || validateCertificateChain;
        validateCertificateName = validateCertificateName == null || validateCertificateName;
    }

    public boolean chain() {
        return validateCertificateChain;
    }

    public boolean name() {
        return validateCertificateName;
    }
}
