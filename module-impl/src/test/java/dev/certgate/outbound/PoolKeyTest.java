package dev.certgate.outbound;

import dev.certgate.api.model.TlsSettings;
import dev.certgate.testsupport.TestPki;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PoolKeyTest {
    private static final X509Certificate CA_A = TestPki.ca("CN=Pool key CA A").certificate();
    private static final X509Certificate CA_B = TestPki.ca("CN=Pool key CA B").certificate();

    @Test
    void keysWithEqualAuthoritySetsAreEqualEvenWhenTheSetsAreDistinctObjects() {
        PoolKey one = PoolKey.of("AB12", TlsSettings.DEFAULT, Set.of(CA_A, CA_B));
        PoolKey other = PoolKey.of("AB12", TlsSettings.DEFAULT, new HashSet<>(Set.of(CA_B, CA_A)));

        assertThat(one).isEqualTo(other);
        assertThat(one.hashCode()).isEqualTo(other.hashCode());
    }

    @Test
    void anyDifferenceInCertificateTlsFlagsOrTrustMakesAnotherKey() {
        Set<X509Certificate> trust = Set.of(CA_A);
        PoolKey base = PoolKey.of("AB12", TlsSettings.DEFAULT, trust);

        assertThat(base).isNotEqualTo(PoolKey.of("CD34", TlsSettings.DEFAULT, trust));
        assertThat(base).isNotEqualTo(PoolKey.of(null, TlsSettings.DEFAULT, trust));
        assertThat(base).isNotEqualTo(PoolKey.of("AB12", TlsSettings.DEFAULT, Set.of(CA_B)));
        assertThat(base).isNotEqualTo(new PoolKey("AB12", true, false, trust));
        assertThat(base).isNotEqualTo(new PoolKey("AB12", false, true, Set.of()));
    }

    @Test
    void withoutChainValidationTheAuthoritiesDoNotMatter() {
        TlsSettings noChain = new TlsSettings(false, true);

        assertThat(PoolKey.of("AB12", noChain, Set.of(CA_A))).isEqualTo(PoolKey.of("AB12", noChain, Set.of(CA_B)));
    }
}
