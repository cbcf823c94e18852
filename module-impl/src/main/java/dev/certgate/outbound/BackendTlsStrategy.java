package dev.certgate.outbound;

import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.InetAddressUtils;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Upgrades a plain socket to TLS for the TLS dry run ({@link TlsProbe}) as the pools do: sends SNI for every DNS name, single-label ones such as
 * {@code localhost} included (the JDK sends none for those), never for an IP literal; checks the
 * host name after the handshake unless the backend turned that off. A dry run is not traffic: it reports no handshakes.
 * The chain itself is checked by the context's trust manager. The pools apply the same two rules
 * ({@link #serverName}, {@link #verifyHostname}) through {@link AsyncBackendTlsStrategy}.
 */
final class BackendTlsStrategy implements TlsSocketStrategy {
    private static final DefaultHostnameVerifier HOSTNAME_VERIFIER = new DefaultHostnameVerifier();

    private final SSLSocketFactory factory;
    private final boolean verifyHostname;

    BackendTlsStrategy(SSLContext context, boolean verifyHostname) {
        this.factory = context.getSocketFactory();
        this.verifyHostname = verifyHostname;
    }

    @Override
    public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
            throws IOException {
        // autoClose false: the caller owns the plain socket and closes it itself.
        SSLSocket ssl = (SSLSocket) factory.createSocket(socket, target, port, false);
        try {
            SSLParameters parameters = ssl.getSSLParameters();
            SNIHostName serverName = serverName(target);
            if (serverName != null) {
                parameters.setServerNames(List.of(serverName));
            }
            ssl.setSSLParameters(parameters);
            handshake(ssl);
            if (verifyHostname) {
                verifyHostname(target, (X509Certificate) ssl.getSession().getPeerCertificates()[0]);
            }
            return ssl;
        } catch (IOException | RuntimeException e) {
            ssl.close();
            throw e;
        }
    }

    /**
     * The JDK lets a plain socket failure escape the handshake as it is (a back end that refuses our
     * certificate under TLS 1.3 may close before our Finished is written: "Broken pipe"). The TCP connection
     * stood, so it is the handshake that failed; timeouts stay timeouts.
     */
    private static void handshake(SSLSocket ssl) throws IOException {
        try {
            ssl.startHandshake();
        } catch (SSLException | InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            SSLHandshakeException failed = new SSLHandshakeException(
                    "the back end broke the connection during the TLS handshake: " + e.getMessage());
            failed.initCause(e);
            throw failed;
        }
    }

    /** HttpClient's verifier, its refusal naming what the certificate does name (it lists one kind only). */
    static void verifyHostname(String host, X509Certificate certificate) throws SSLException {
        try {
            HOSTNAME_VERIFIER.verify(host, certificate);
        } catch (SSLException e) {
            BackendCertificateRejected rejected = BackendCertificateRejected.hostName(host, certificate, e);
            SSLPeerUnverifiedException explained = new SSLPeerUnverifiedException(rejected.getMessage());
            explained.initCause(rejected);
            throw explained;
        }
    }

    /** SNI (RFC 6066) carries DNS names only; null for IP literals and for names SNI cannot carry. */
    static SNIHostName serverName(String host) {
        if (host == null || InetAddressUtils.isIPv4(host) || InetAddressUtils.isIPv6(host)
                || InetAddressUtils.isIPv6URLBracketed(host)) {
            return null;
        }
        try {
            return new SNIHostName(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
