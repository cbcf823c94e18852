package dev.certgate.outbound;

import dev.certgate.certs.KeyMaterial;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Presents exactly one client certificate with its chain. Unlike the JDK's key managers it ignores the
 * issuer names a server suggests: the policy chose the certificate, so it is always offered (as APIM and
 * nginx's {@code proxy_ssl_certificate} do) and the back end decides. Client side only.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";

    private final PrivateKey privateKey;
    private final X509Certificate[] chain;

    SingleKeyManager(KeyMaterial key) {
        this.privateKey = key.privateKey();
        this.chain = key.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return offers(keyTypes) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return offers(keyTypes) ? ALIAS : null;
    }

    /** The handshake asks per signature scheme; answer only for our key's algorithm (RSA, EC, …). */
    private boolean offers(String[] keyTypes) {
        return keyTypes == null || Arrays.asList(keyTypes).contains(privateKey.getAlgorithm());
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return privateKey.getAlgorithm().equals(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? privateKey : null;
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
