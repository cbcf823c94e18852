package dev.certgate.certs;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;

/**
 * The Bouncy Castle provider, passed explicitly to the operations that need it (legacy PKCS#12 and OpenSSL
 * ciphers) instead of being installed JVM-wide, where it would change what the container's own TLS picks.
 */
final class Bc {
    static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {
    }
}
