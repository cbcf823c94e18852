package dev.certgate.outbound;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.reactor.ssl.TlsDetails;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The non-blocking pools' TLS: the same rules as {@link BackendTlsStrategy} (SNI for every DNS name, single-label
 * ones included, never for an IP literal; the host name checked after the handshake unless the backend turned
 * that off; handshakes counted) applied to the SSLEngine HttpCore's reactor drives. The chain is checked by the
 * context's trust manager. The handshake is bounded by the timeout HttpClient passes: the request's connect timeout.
 */
final class AsyncBackendTlsStrategy implements TlsStrategy {
    private final SSLContext context;
    private final boolean verifyHostname;
    private final LongAdder handshakes = new LongAdder();

    AsyncBackendTlsStrategy(SSLContext context, boolean verifyHostname) {
        this.context = context;
        this.verifyHostname = verifyHostname;
    }

    @Override
    public void upgrade(TransportSecurityLayer session, NamedEndpoint endpoint, Object attachment,
                        Timeout handshakeTimeout, FutureCallback<TransportSecurityLayer> callback) {
        session.startTls(context, endpoint, SSLBufferMode.STATIC, AsyncBackendTlsStrategy::serverName, this::verify,
                handshakeTimeout, callback);
    }

    /** @deprecated HttpCore's older entry point; delegates to the callback form. */
    @Deprecated
    @Override
    public boolean upgrade(TransportSecurityLayer session, HttpHost host, SocketAddress localAddress,
                           SocketAddress remoteAddress, Object attachment, Timeout handshakeTimeout) {
        upgrade(session, host, attachment, handshakeTimeout, null);
        return true;
    }

    private static void serverName(NamedEndpoint endpoint, SSLEngine engine) {
        SNIHostName name = BackendTlsStrategy.serverName(endpoint.getHostName());
        if (name != null) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(name));
            engine.setSSLParameters(parameters);
        }
    }

    private TlsDetails verify(NamedEndpoint endpoint, SSLEngine engine) throws SSLException {
        handshakes.increment();
        if (verifyHostname) {
            Certificate[] peer = engine.getSession().getPeerCertificates();
            BackendTlsStrategy.verifyHostname(endpoint.getHostName(), (X509Certificate) peer[0]);
        }
        return new TlsDetails(engine.getSession(), engine.getApplicationProtocol());
    }

    long handshakes() {
        return handshakes.sum();
    }
}
