package dev.certgate.outbound;

import dev.certgate.certs.KeyMaterial;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Builds the SSLContext of one pool: its one client key, and trust in the JDK's anchors plus the uploaded authorities. */
final class BackendTrust {
    private BackendTrust() {
    }

    static SSLContext sslContext(KeyMaterial key, PoolKey poolKey) {
        try {
            KeyManager[] keyManagers = key == null ? new KeyManager[0] : new KeyManager[] {new SingleKeyManager(key)};
            TrustManager trust = poolKey.validateChain() ? trustManager(poolKey.authorities()) : TrustAnyChain.INSTANCE;
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context for a back-end pool", e);
        }
    }

    /** PKIX over one store holding the JDK's default anchors and every uploaded authority, refusals explained. */
    static X509TrustManager trustManager(Collection<X509Certificate> authorities) throws GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        try {
            anchors.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate anchor : JdkAnchors.LIST) {
            anchors.setCertificateEntry("jdk-" + i++, anchor);
        }
        for (X509Certificate authority : authorities) {
            anchors.setCertificateEntry("authority-" + i++, authority);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(anchors);
        return new ExplainingTrustManager((X509ExtendedTrustManager) factory.getTrustManagers()[0]);
    }

    /** The JDK's default trust anchors (cacerts or javax.net.ssl.trustStore), read once. */
    private static final class JdkAnchors {
        static final List<X509Certificate> LIST = load();

        private static List<X509Certificate> load() {
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                return Arrays.stream(factory.getTrustManagers())
                        .filter(X509TrustManager.class::isInstance)
                        .flatMap(tm -> Arrays.stream(((X509TrustManager) tm).getAcceptedIssuers()))
                        .toList();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the JDK's default trust anchors", e);
            }
        }
    }
}
