package dev.certgate.outbound;

/** One pool's figures for {@code GET /admin/status}; {@code thumbprint} null for the pool without a client certificate. */
public record PoolStats(String certificateId, String thumbprint, int leased, int available, int pending, int max,
                        long handshakes) {
}
