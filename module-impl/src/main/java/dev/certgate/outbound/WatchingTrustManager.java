package dev.certgate.outbound;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * For the TLS dry run: the trust manager of a pool, watched. It keeps the back end's chain even when the pool's
 * manager refuses it (the handshake ends then, and the session never holds the chain) and whether it accepted.
 */
final class WatchingTrustManager extends BackendTrustManager {
    private final X509ExtendedTrustManager pool;
    private volatile List<X509Certificate> chain = List.of();
    private volatile String authType;
    private volatile boolean accepted;

    WatchingTrustManager(X509ExtendedTrustManager pool) {
        this.pool = pool;
    }

    /** The back end's chain, leaf first; empty if the handshake did not get that far. */
    List<X509Certificate> chain() {
        return chain;
    }

    String authType() {
        return authType;
    }

    /** Whether the pool's trust manager accepted the chain. */
    boolean accepted() {
        return accepted;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        record(chain, authType);
        pool.checkServerTrusted(chain, authType);
        accepted = true;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        record(chain, authType);
        pool.checkServerTrusted(chain, authType, socket);
        accepted = true;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        record(chain, authType);
        pool.checkServerTrusted(chain, authType, engine);
        accepted = true;
    }

    private void record(X509Certificate[] presented, String type) {
        chain = presented == null ? List.of() : List.of(presented);
        authType = type;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pool.getAcceptedIssuers();
    }
}
