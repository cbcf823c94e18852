package dev.certgate.outbound;

import dev.certgate.api.ErrorCode;

/**
 * Told of every TLS handshake the pools make with a back end (metrics, per-certificate activity). Called on the
 * thread that made the connection, a request's or an I/O reactor's: it must be quick, must not block and should
 * not take locks. {@code certificateId} and {@code thumbprint} are those of the client certificate the pool
 * presents, both null for the pool that presents none.
 */
public interface HandshakeListener {
    /** @param resumed the session was resumed from an earlier one (abbreviated handshake) rather than made anew */
    void completed(String certificateId, String thumbprint, boolean resumed);

    /** @param reason the error table's reason for the failure, as a request that met it would be answered */
    void failed(String certificateId, String thumbprint, ErrorCode reason);
}
