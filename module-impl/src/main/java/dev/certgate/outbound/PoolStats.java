package dev.certgate.outbound;

/**
 * One pool's figures for {@code GET /admin/status}; {@code thumbprint} null for the pool without a client certificate.
 * The TLS checks tell apart pools of one certificate for backends whose {@code tls} settings differ.
 */
public record PoolStats(String certificateId, String thumbprint, boolean validateCertificateChain,
                        boolean validateCertificateName, int leased, int available, int pending, int max,
                        long handshakes) {
}
