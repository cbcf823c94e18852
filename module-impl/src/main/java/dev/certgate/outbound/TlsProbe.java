package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;
import dev.certgate.certs.KeyMaterial;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The TLS dry run: one handshake with a back end, made as a pool makes it (the same SSLContext, SNI and checks),
 * watched, and ended without sending a byte of HTTP.
 */
public final class TlsProbe {
    /** Connecting and the handshake together. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * Under TLS 1.3 our side of the handshake is done before the back end has looked at our certificate; one that
     * refuses it sends an alert or closes at once, one that accepts waits for a request. This is how long we listen.
     */
    static final Duration REFUSAL_WAIT = Duration.ofSeconds(1);

    private TlsProbe() {
    }

    /**
     * @param key         the client certificate a call would present, null for none
     * @param authorities the uploaded authorities' certificates
     * @param provider    the pools' TLS provider
     */
    public static TlsProbeResult run(String host, int port, KeyMaterial key, TlsSettings tls,
                                     Set<X509Certificate> authorities, BackendTlsProvider provider) {
        PoolKey poolKey = PoolKey.of(key, tls, authorities);
        WatchingKeyManager keys = new WatchingKeyManager(key == null ? null : new SingleKeyManager(key));
        WatchingTrustManager trust = new WatchingTrustManager(BackendTrust.trustManager(poolKey));
        SSLContext context = BackendTrust.sslContext(provider.forKey(key), keys, trust);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String protocol = null;
        String cipherSuite = null;
        Exception failure = null;
        // The name is checked below, not in the handshake, so that it is known either way.
        try (Socket plain = connected(host, port, deadline);
             SSLSocket ssl = handshake(context, plain, host, port)) {
            SSLSession session = ssl.getSession();
            protocol = session.getProtocol();
            cipherSuite = session.getCipherSuite();
            if (tls.name()) {
                BackendTlsStrategy.verifyHostname(host, (X509Certificate) session.getPeerCertificates()[0]);
            }
            if (keys.asked() && "TLSv1.3".equals(protocol)) {
                failure = refusal(plain, ssl, keys.presented(), deadline);
            }
        } catch (IOException e) {
            failure = e;
        }
        List<X509Certificate> chain = trust.chain();
        boolean trusted = !chain.isEmpty() && (tls.chain() ? trust.accepted() : trusted(chain, trust.authType(), authorities));
        WatchingKeyManager asked = keys;
        if (!keys.asked() && tls.chain() && !chain.isEmpty() && !trust.accepted()) {
            asked = askUnchecked(host, port, provider, deadline);
        }
        return new TlsProbeResult(chain, trusted, trusted ? BackendTrust.authorityAnchor(chain, authorities) : null,
                !chain.isEmpty() && namesHost(host, chain.get(0)), asked.asked(), asked.issuers(), keys.presented(),
                protocol, cipherSuite, failure);
    }

    /**
     * Whether the back end asks for a client certificate, and from which CAs, when its chain was refused before it
     * could be seen to ask (a TLS 1.2 back end asks after sending its chain; a TLS 1.3 client chooses its
     * certificate after checking it): a second handshake that takes any chain and presents no certificate, so that
     * nothing of ours goes to a back end whose chain was refused. Its own failure is expected and tells nothing.
     */
    private static WatchingKeyManager askUnchecked(String host, int port, BackendTlsProvider provider, long deadline) {
        WatchingKeyManager keys = new WatchingKeyManager(null);
        SSLContext context = BackendTrust.sslContext(provider.forKey(null), keys, TrustAnyChain.INSTANCE);
        try (Socket plain = connected(host, port, deadline);
             SSLSocket ignored = handshake(context, plain, host, port)) {
            // the handshake is all that was wanted
        } catch (IOException e) {
            // refused for want of a certificate, most likely: what was asked is recorded either way
        }
        return keys;
    }

    /** A socket connected within the deadline, its reads bounded by what is left of it. */
    private static Socket connected(String host, int port, long deadline) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
            plain.setSoTimeout(remainingMillis(deadline));
            return plain;
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    /** The pools' own upgrade (SNI, handshake), without their name check. */
    private static SSLSocket handshake(SSLContext context, Socket plain, String host, int port) throws IOException {
        return new BackendTlsStrategy(context, false).upgrade(plain, host, port, null, null);
    }

    /**
     * Listens briefly after a TLS 1.3 handshake in which the back end asked for a certificate: its alert, or its
     * closing the connection, is the refusal a call would meet on its first request. Null if it kept quiet.
     */
    private static IOException refusal(Socket plain, SSLSocket ssl, boolean presented, long deadline) {
        try {
            plain.setSoTimeout((int) Math.min(REFUSAL_WAIT.toMillis(), remainingMillis(deadline)));
            if (ssl.getInputStream().read() >= 0) {
                return null; // it spoke first: the connection stands
            }
            return closed(presented, null);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (SSLException e) {
            return e;
        } catch (IOException e) {
            return closed(presented, e);
        }
    }

    private static SSLHandshakeException closed(boolean presented, IOException cause) {
        SSLHandshakeException closed = new SSLHandshakeException("the back end closed the connection at the end of "
                + "the TLS handshake, having seen " + (presented ? "our client certificate" : "that we sent none"));
        closed.initCause(cause);
        return closed;
    }

    /** The pools' PKIX rule applied to a chain the handshake did not check (chain validation off). */
    private static boolean trusted(List<X509Certificate> chain, String authType, Set<X509Certificate> authorities) {
        try {
            BackendTrust.trustManager(authorities).checkServerTrusted(chain.toArray(new X509Certificate[0]), authType);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean namesHost(String host, X509Certificate leaf) {
        try {
            BackendTlsStrategy.verifyHostname(host, leaf);
            return true;
        } catch (SSLException e) {
            return false;
        }
    }

    /** At least 1 ms: a socket timeout of 0 would wait for ever. */
    private static int remainingMillis(long deadline) {
        return (int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
    }
}
