package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;

import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * What makes two outbound connections interchangeable: the client certificate presented (its SHA-1
 * thumbprint, null for none) and how the back end's certificate is checked. {@code authorities} is empty
 * when chain validation is off, since they do not matter then.
 */
record PoolKey(String thumbprint, boolean validateChain, boolean validateName, Set<X509Certificate> authorities) {
    static PoolKey of(String thumbprint, TlsSettings tls, Set<X509Certificate> authorities) {
        return new PoolKey(thumbprint, tls.chain(), tls.name(), tls.chain() ? authorities : Set.of());
    }
}
