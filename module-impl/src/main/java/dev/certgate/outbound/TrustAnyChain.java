package dev.certgate.outbound;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.X509Certificate;

/** For a backend whose {@code tls.validateCertificateChain} is false: any server chain is accepted. */
final class TrustAnyChain extends X509ExtendedTrustManager {
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
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        throw new UnsupportedOperationException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
