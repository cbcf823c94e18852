package dev.certgate.outbound;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds the SSLContexts of pools and of the TLS dry run: one client key, and trust in the JDK's anchors plus the uploaded authorities. */
final class BackendTrust {
    private BackendTrust() {
    }

    /** A context of {@code provider} with this key manager (null: none) and trust manager. */
    static SSLContext sslContext(BackendTlsProvider provider, X509ExtendedKeyManager keyManager,
                                 X509ExtendedTrustManager trust) {
        try {
            KeyManager[] keyManagers = keyManager == null ? new KeyManager[0] : new KeyManager[] {keyManager};
            SSLContext context = provider.newContext();
            context.init(keyManagers, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context for a back-end pool", e);
        }
    }

    /** How the pool checks the back end's chain: PKIX as below, or not at all when the backend turned that off. */
    static X509ExtendedTrustManager trustManager(PoolKey poolKey) {
        try {
            return poolKey.validateChain() ? trustManager(poolKey.authorities()) : TrustAnyChain.INSTANCE;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context for a back-end pool", e);
        }
    }

    /** PKIX over one store holding the JDK's default anchors and every uploaded authority, refusals explained. */
    static X509ExtendedTrustManager trustManager(Collection<X509Certificate> authorities)
            throws GeneralSecurityException {
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

    /**
     * The uploaded authority that {@code chain} (leaf first) leads to, or null if it leads to none of them: a chain
     * the trust manager accepted is then trusted by a JDK anchor. Same PKIX rules, revocation not checked (nor is it
     * in the handshake).
     */
    static X509Certificate authorityAnchor(List<X509Certificate> chain, Collection<X509Certificate> authorities) {
        if (chain.isEmpty() || authorities.isEmpty()) {
            return null;
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            authorities.forEach(authority -> anchors.add(new TrustAnchor(authority, null)));
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(chain.get(0));
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            PKIXCertPathBuilderResult path = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
                    .build(parameters);
            return path.getTrustAnchor().getTrustedCert();
        } catch (GeneralSecurityException e) {
            return null; // no path to an uploaded authority
        }
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
