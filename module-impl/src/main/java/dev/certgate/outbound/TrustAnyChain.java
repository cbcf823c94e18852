package dev.certgate.outbound;

import javax.net.ssl.SSLEngine;
import java.net.Socket;
import java.security.cert.X509Certificate;

/** For a backend whose {@code tls.validateCertificateChain} is false: any server chain is accepted. */
final class TrustAnyChain extends BackendTrustManager {
    static final TrustAnyChain INSTANCE = new TrustAnyChain();

    private TrustAnyChain() {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // accepted on purpose: the backend's tls settings turned chain validation off
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // accepted on purpose, as above
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // accepted on purpose, as above
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
