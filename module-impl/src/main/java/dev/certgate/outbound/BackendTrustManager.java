package dev.certgate.outbound;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.X509Certificate;

/**
 * A trust manager for the gateway's side of a back-end connection: it judges servers only. Asked about a client,
 * which only a server-side TLS context would do, it refuses, so a misuse fails loudly instead of trusting.
 */
abstract class BackendTrustManager extends X509ExtendedTrustManager {

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType) {
        throw clientSideOnly();
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        throw clientSideOnly();
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        throw clientSideOnly();
    }

    private static UnsupportedOperationException clientSideOnly() {
        return new UnsupportedOperationException("client side only");
    }
}
