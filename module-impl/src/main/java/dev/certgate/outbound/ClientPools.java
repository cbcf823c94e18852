package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.AuthorityConfig;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

import java.util.Collection;
import java.util.List;

/**
 * STUB (owner: proxy work). HttpClient 5 clients with their connection pools, one per (client-certificate
 * thumbprint or none, TLS settings, trusted authorities), so connections made with one certificate never
 * carry a request for another.
 */
public final class ClientPools implements AutoCloseable {
    public ClientPools(PoolSettings settings) {
        throw new UnsupportedOperationException("stub");
    }

    /** The client for this identity and TLS settings, created on first use. {@code key} null = no certificate. */
    public CloseableHttpClient clientFor(KeyMaterial key, TlsSettings tls, Collection<AuthorityConfig> authorities) {
        throw new UnsupportedOperationException("stub");
    }

    public List<PoolStats> stats() {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public void close() {
    }
}
