package dev.certgate.outbound;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The PKIX trust manager of a pool, whose refusals say what was wrong with the back end's chain (the JDK's say
 * "unable to find valid certification path to requested target" for every untrusted issuer alike).
 */
final class ExplainingTrustManager extends BackendTrustManager {
    private final X509ExtendedTrustManager pkix;

    ExplainingTrustManager(X509ExtendedTrustManager pkix) {
        this.pkix = pkix;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        explained(chain, () -> pkix.checkServerTrusted(chain, pkixAuthType(authType)));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        explained(chain, () -> pkix.checkServerTrusted(chain, pkixAuthType(authType), socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        explained(chain, () -> pkix.checkServerTrusted(chain, pkixAuthType(authType), engine));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    /**
     * Conscrypt names TLS 1.3's authentication "GENERIC", which the JDK's PKIX checker refuses as unknown; the JDK's
     * own provider passes "UNKNOWN" for it, so a chain is judged by the same key-usage rules on either provider.
     */
    private static String pkixAuthType(String authType) {
        return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
    }

    private static void explained(X509Certificate[] chain, Check check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            throw BackendCertificateRejected.chain(chain, e);
        }
    }

    /** One of the PKIX manager's checks. */
    @FunctionalInterface
    private interface Check {
        void run() throws CertificateException;
    }
}
