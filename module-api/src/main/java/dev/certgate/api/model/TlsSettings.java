package dev.certgate.api.model;

import java.util.Map;

/**
 * A backend's {@code tls} block; both checks default to on (CONTRACT §2). {@code unused} holds any other
 * property the block has; APIM defines none, so a valid configuration has none.
 */
public record TlsSettings(Boolean validateCertificateChain, Boolean validateCertificateName,
                          Map<String, Object> unused) {
    public static final TlsSettings DEFAULT = new TlsSettings(true, true);

    public TlsSettings {
        validateCertificateChain = validateCertificateChain == null || validateCertificateChain;
        validateCertificateName = validateCertificateName == null || validateCertificateName;
        unused = JsonValues.frozen(unused);
    }

    public TlsSettings(Boolean validateCertificateChain, Boolean validateCertificateName) {
        this(validateCertificateChain, validateCertificateName, Map.of());
    }

    public boolean chain() {
        return validateCertificateChain;
    }

    public boolean name() {
        return validateCertificateName;
    }
}
