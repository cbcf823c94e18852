package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.testsupport.TestPki;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PoolKeyTest {
    private static final TestPki.Issued CA_A = TestPki.ca("CN=Pool key CA A");
    private static final X509Certificate CA_B = TestPki.ca("CN=Pool key CA B").certificate();
    private static final TestPki.Issued CLIENT = TestPki.client(CA_A, "pool-key-client");
    private static final KeyMaterial KEY = key("c1", "AB12", CLIENT.chain());

    @Test
    void keysWithEqualAuthoritySetsAreEqualEvenWhenTheSetsAreDistinctObjects() {
        PoolKey one = PoolKey.of(KEY, TlsSettings.DEFAULT, Set.of(CA_A.certificate(), CA_B));
        PoolKey other = PoolKey.of(key("c2", "AB12", List.copyOf(CLIENT.chain())), TlsSettings.DEFAULT,
                new HashSet<>(Set.of(CA_B, CA_A.certificate())));

        assertThat(one).isEqualTo(other);
        assertThat(one.hashCode()).isEqualTo(other.hashCode());
    }

    @Test
    void anyDifferenceInCertificateChainTlsFlagsOrTrustMakesAnotherKey() {
        Set<X509Certificate> trust = Set.of(CA_A.certificate());
        PoolKey base = PoolKey.of(KEY, TlsSettings.DEFAULT, trust);

        assertThat(base).isNotEqualTo(PoolKey.of(key("c1", "CD34", CLIENT.chain()), TlsSettings.DEFAULT, trust));
        assertThat(base).as("the same certificate sent without its issuer")
                .isNotEqualTo(PoolKey.of(key("c1", "AB12", List.of(CLIENT.certificate())), TlsSettings.DEFAULT, trust));
        assertThat(base).isNotEqualTo(PoolKey.of(null, TlsSettings.DEFAULT, trust));
        assertThat(base).isNotEqualTo(PoolKey.of(KEY, TlsSettings.DEFAULT, Set.of(CA_B)));
        assertThat(base).isNotEqualTo(PoolKey.of(KEY, new TlsSettings(true, false), trust));
        assertThat(base).isNotEqualTo(PoolKey.of(KEY, new TlsSettings(false, true), trust));
    }

    @Test
    void withoutChainValidationTheAuthoritiesDoNotMatter() {
        TlsSettings noChain = new TlsSettings(false, true);

        assertThat(PoolKey.of(KEY, noChain, Set.of(CA_A.certificate()))).isEqualTo(PoolKey.of(KEY, noChain, Set.of(CA_B)));
    }

    private static KeyMaterial key(String id, String thumbprint, List<X509Certificate> chain) {
        return new KeyMaterial(id, thumbprint, CLIENT.privateKey(), chain);
    }
}
