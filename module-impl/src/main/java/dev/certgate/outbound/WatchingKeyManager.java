package dev.certgate.outbound;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * For the TLS dry run: the key manager of a pool (or none), watched. The JDK asks a client's key manager for an
 * alias only when the server sent a CertificateRequest, and passes that request's certificate_authorities; so
 * being asked is the proof the back end wants a certificate, and the issuers are the names it accepts.
 */
final class WatchingKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager pool;
    private volatile boolean asked;
    private volatile boolean presented;
    private volatile List<X500Principal> issuers = List.of();

    /** @param pool the pool's key manager, null when no certificate is configured */
    WatchingKeyManager(X509ExtendedKeyManager pool) {
        this.pool = pool;
    }

    boolean asked() {
        return asked;
    }

    boolean presented() {
        return presented;
    }

    List<X500Principal> issuers() {
        return issuers;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        record(issuers);
        return presented(pool == null ? null : pool.chooseClientAlias(keyTypes, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        record(issuers);
        return presented(pool == null ? null : pool.chooseEngineClientAlias(keyTypes, issuers, engine));
    }

    private void record(Principal[] names) {
        asked = true;
        List<X500Principal> x500 = new ArrayList<>();
        if (names != null) {
            for (Principal name : names) {
                x500.add(name instanceof X500Principal principal ? principal : new X500Principal(name.getName()));
            }
        }
        // The JDK asks once per key type under TLS 1.3, always with the same list: keep one copy.
        if (!x500.isEmpty() || issuers.isEmpty()) {
            issuers = List.copyOf(x500);
        }
    }

    private String presented(String alias) {
        if (alias != null) {
            presented = true;
        }
        return alias;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return pool == null ? null : pool.getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return pool == null ? null : pool.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return pool == null ? null : pool.getPrivateKey(alias);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
