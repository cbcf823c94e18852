package dev.certgate.outbound;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Tells a pool's full handshakes from its resumed ones, whichever the provider: only a full handshake carries the
 * back end's certificate, so only a full one asks the trust manager. (Session creation times cannot tell: Conscrypt
 * keeps them in whole seconds.) The check notes the sessions the engine shows during the handshake, and the
 * handshake's end looks for the one it shows then: the JDK's engine shows the same handshake session, Conscrypt's
 * the same session view (its engine is asked under a wrapper, so engines themselves do not match). Sessions are
 * held weakly: one whose handshake failed is not kept. The JDK's sessions are equal by id, which its TLS 1.3
 * client makes random for each connection; its id-less stand-ins for "no session yet", noted too, are equal to
 * one another and to a TLS 1.2 session the back end gave no id, which can then count as a full handshake.
 */
final class ChainChecks {
    private final Set<SSLSession> checked = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** {@code trust}, noting each handshake it is asked about. */
    BackendTrustManager watching(X509ExtendedTrustManager trust) {
        return new BackendTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                trust.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                trust.checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                note(engine.getHandshakeSession());
                note(engine.getSession());
                trust.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return trust.getAcceptedIssuers();
            }
        };
    }

    /** Whether the handshake just completed on {@code engine} resumed a session (no chain was shown); forgets it. */
    boolean resumed(SSLEngine engine) {
        return !checked.remove(engine.getSession());
    }

    private void note(SSLSession session) {
        if (session != null) {
            checked.add(session);
        }
    }
}
