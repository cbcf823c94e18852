package dev.certgate.outbound;

/** The TLS dry run on the JDK's provider ({@code certgate.tls.provider=jdk}). */
class JdkTlsProbeTest extends TlsProbeTest {
    @Override
    BackendTlsProvider provider() {
        return BackendTlsProvider.JDK;
    }
}
