package dev.certgate.admin;

import dev.certgate.api.model.TlsSettings;

/**
 * The body of a TLS dry run: {@code url} and {@code tls} for {@code POST /admin/tls-check} (a backend's own for
 * {@code POST /admin/backends/{id}/tls-check}), and the certificate to present instead of the configured one.
 */
public record TlsCheckRequest(String url, String certificateId, TlsSettings tls) {
    static final TlsCheckRequest EMPTY = new TlsCheckRequest(null, null, null);
}
