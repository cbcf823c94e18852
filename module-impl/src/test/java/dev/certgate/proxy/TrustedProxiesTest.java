package dev.certgate.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesTest {
    @Test
    void addressesAndRangesOfBothFamiliesAreTrusted() {
        TrustedProxies trusted = TrustedProxies.parse(" 10.0.0.0/8, 192.0.2.7 fd00::/8,::1\t172.16.0.0/12 ");

        for (String address : new String[] {"10.1.2.3", "10.255.255.255", "192.0.2.7", "fd12:3456::1", "::1",
                "[::1]", "0:0:0:0:0:0:0:1", "172.31.0.1", "::ffff:10.9.9.9"}) {
            assertThat(trusted.trusts(address)).as(address).isTrue();
        }
        for (String address : new String[] {"11.0.0.1", "192.0.2.8", "fe80::1", "::2", "172.32.0.1", "127.0.0.1",
                "localhost", "", "10.1", "10.0.0.1.5"}) {
            assertThat(trusted.trusts(address)).as(address).isFalse();
        }
    }

    @Test
    void prefixLengthsThatAreNotWholeBytesAreHonoured() {
        TrustedProxies trusted = TrustedProxies.parse("192.0.2.64/26");

        assertThat(trusted.trusts("192.0.2.64")).isTrue();
        assertThat(trusted.trusts("192.0.2.127")).isTrue();
        assertThat(trusted.trusts("192.0.2.63")).isFalse();
        assertThat(trusted.trusts("192.0.2.128")).isFalse();
        assertThat(TrustedProxies.parse("0.0.0.0/0").trusts("203.0.113.9")).isTrue();
    }

    @Test
    void nothingIsTrustedByDefault() {
        assertThat(TrustedProxies.parse(null).isEmpty()).isTrue();
        assertThat(TrustedProxies.parse("  ").isEmpty()).isTrue();
        assertThat(TrustedProxies.NONE.trusts("127.0.0.1")).isFalse();
    }

    @Test
    void anEntryThatIsNotAnAddressOrRangeIsRefusedByName() {
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/8, proxy.example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certgate.trustedProxies: 'proxy.example' is not an IP address or CIDR range");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33"))
                .hasMessageStartingWith("certgate.trustedProxies: '10.0.0.0/33' has a prefix length outside 0-32");
        assertThatThrownBy(() -> TrustedProxies.parse("fd00::/129"))
                .hasMessageStartingWith("certgate.trustedProxies: 'fd00::/129' has a prefix length outside 0-128");
        for (String wrong : new String[] {"10.0.0", "256.1.1.1", "10.0.0.0/", "10.0.0.0/x", "*", "fe80::1%eth0"}) {
            assertThatThrownBy(() -> TrustedProxies.parse(wrong)).as(wrong).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
