package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;
import dev.certgate.certs.KeyMaterial;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What makes two outbound connections interchangeable: the client certificate presented (its SHA-1
 * thumbprint, null for none, and the chain sent with it: the same certificate re-uploaded with another chain
 * gets connections of its own) and how the back end's certificate is checked. {@code authorities} is empty
 * when chain validation is off, since they do not matter then.
 * <p>
 * Looked up on every request: equality tries the authority set's identity first (callers pass one set
 * per configuration snapshot) before comparing certificates.
 */
record PoolKey(String thumbprint, List<X509Certificate> chain, boolean validateChain, boolean validateName,
               Set<X509Certificate> authorities) {
    static PoolKey of(KeyMaterial key, TlsSettings tls, Set<X509Certificate> authorities) {
        return new PoolKey(key == null ? null : key.thumbprint(), key == null ? List.of() : key.chain(), tls.chain(),
                tls.name(), tls.chain() ? authorities : Set.of());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PoolKey key
                && validateChain == key.validateChain
                && validateName == key.validateName
                && Objects.equals(thumbprint, key.thumbprint)
                && (chain == key.chain || chain.equals(key.chain))
                && (authorities == key.authorities || authorities.equals(key.authorities));
    }

    @Override
    public int hashCode() {
        int hash = thumbprint == null ? 0 : thumbprint.hashCode();
        hash = 31 * hash + chain.hashCode();
        hash = 31 * hash + (validateChain ? 1 : 0);
        hash = 31 * hash + (validateName ? 1 : 0);
        return 31 * hash + authorities.hashCode();
    }
}
