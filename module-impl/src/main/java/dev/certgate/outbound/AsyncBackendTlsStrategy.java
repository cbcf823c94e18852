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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The non-blocking pools' TLS: the same rules as {@link BackendTlsStrategy} (SNI for every DNS name, single-label
 * ones included, never for an IP literal; the host name checked after the handshake unless the backend turned
 * that off; handshakes and failed ones reported to the pool's {@link Handshakes}) applied to the SSLEngine HttpCore's
 * reactor drives. The chain is checked by the
 * context's trust manager. The handshake is bounded by the timeout HttpClient passes: the request's connect timeout.
 */
final class AsyncBackendTlsStrategy implements TlsStrategy {
    private final SSLContext context;
    private final boolean verifyHostname;
    private final Handshakes handshakes;
    private final ChainChecks chainChecks;

    /** @param chainChecks watching the context's trust manager, to tell resumed handshakes */
    AsyncBackendTlsStrategy(SSLContext context, boolean verifyHostname, Handshakes handshakes,
                            ChainChecks chainChecks) {
        this.context = context;
        this.verifyHostname = verifyHostname;
        this.handshakes = handshakes;
        this.chainChecks = chainChecks;
    }

    @Override
    public void upgrade(TransportSecurityLayer session, NamedEndpoint endpoint, Object attachment,
                        Timeout handshakeTimeout, FutureCallback<TransportSecurityLayer> callback) {
        Attempt attempt = new Attempt(callback);
        // Static: the TLS buffers (about 50 KiB) live as long as the connection. HttpCore's dynamic mode frees them
        // whenever they empty, which saved 28 KiB per open server-sent-event stream but allocated 55 KB per request
        // (of 76 KB in all), and young collections took 7.7 us of the gateway's 184 us per request on / (2.6 without).
        session.startTls(context, endpoint, SSLBufferMode.STATIC, AsyncBackendTlsStrategy::serverName,
                attempt::verify, handshakeTimeout, attempt);
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

    /**
     * One connection's handshake: reported once, as completed after the host name check, or as failed whether the
     * check refused the back end or the handshake itself broke off (the reactor then fails the callback).
     */
    private final class Attempt implements FutureCallback<TransportSecurityLayer> {
        private final AtomicBoolean reported = new AtomicBoolean();
        private final FutureCallback<TransportSecurityLayer> callback;

        Attempt(FutureCallback<TransportSecurityLayer> callback) {
            this.callback = callback;
        }

        TlsDetails verify(NamedEndpoint endpoint, SSLEngine engine) throws SSLException {
            try {
                if (verifyHostname) {
                    Certificate[] peer = engine.getSession().getPeerCertificates();
                    BackendTlsStrategy.verifyHostname(endpoint.getHostName(), (X509Certificate) peer[0]);
                }
            } catch (SSLException e) {
                reportFailure(e);
                throw e;
            }
            if (reported.compareAndSet(false, true)) {
                handshakes.completed(chainChecks.resumed(engine));
            }
            return new TlsDetails(engine.getSession(), engine.getApplicationProtocol());
        }

        @Override
        public void completed(TransportSecurityLayer result) {
            if (callback != null) {
                callback.completed(result);
            }
        }

        @Override
        public void failed(Exception failure) {
            reportFailure(failure);
            if (callback != null) {
                callback.failed(failure);
            }
        }

        private void reportFailure(Exception failure) {
            if (reported.compareAndSet(false, true)) {
                handshakes.failed(failure);
            }
        }

        @Override
        public void cancelled() {
            if (callback != null) {
                callback.cancelled();
            }
        }
    }
}
