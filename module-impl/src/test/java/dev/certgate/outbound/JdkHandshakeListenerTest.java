package dev.certgate.outbound;

/** Handshake reports on the JDK's provider ({@code certgate.tls.provider=jdk}). */
class JdkHandshakeListenerTest extends HandshakeListenerTest {
    @Override
    PoolSettings settings() {
        return PoolSettings.DEFAULTS.withTls(BackendTlsProvider.JDK);
    }
}
