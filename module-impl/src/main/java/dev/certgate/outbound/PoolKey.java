package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Set;

/**
 * What makes two outbound connections interchangeable: the client certificate presented (its SHA-1
 * thumbprint, null for none) and how the back end's certificate is checked. {@code authorities} is empty
 * when chain validation is off, since they do not matter then.
 * <p>
 * Looked up on every request: equality tries the authority set's identity first (callers pass one set
 * per configuration snapshot) before comparing certificates.
 */
record PoolKey(String thumbprint, boolean validateChain, boolean validateName, Set<X509Certificate> authorities) {
    static PoolKey of(String thumbprint, TlsSettings tls, Set<X509Certificate> authorities) {
        return new PoolKey(thumbprint, tls.chain(), tls.name(), tls.chain() ? authorities : Set.of());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PoolKey key
                && validateChain == key.validateChain
                && validateName == key.validateName
                && Objects.equals(thumbprint, key.thumbprint)
                && (authorities == key.authorities || authorities.equals(key.authorities));
    }

    @Override
    public int hashCode() {
        int hash = thumbprint == null ? 0 : thumbprint.hashCode();
        hash = 31 * hash + (validateChain ? 1 : 0);
        hash = 31 * hash + (validateName ? 1 : 0);
        return 31 * hash + authorities.hashCode();
    }
}
