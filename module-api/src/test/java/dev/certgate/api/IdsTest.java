package dev.certgate.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {
    /** isValid checks by hand what PATTERN (shown in error messages) states: both must agree on every id. */
    @ParameterizedTest
    @ValueSource(strings = {"a", "Z9", "client-cert_1.pfx", "0", "-lead", ".lead", "_lead", "has space", "slash/id",
            "dots..", "a..b", "a.b.c", "..", "ümlaut", "tab\t", "", "a\n",
            "x2345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "x23456789012345678901234567890123456789012345678901234567890123456789012345678901"})
    void isValidAgreesWithThePublishedPattern(String id) {
        assertThat(Ids.isValid(id)).isEqualTo(Ids.PATTERN.matcher(id).matches());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "client-cert_1.pfx", "Z9", "orders.v1.tmp"})
    void acceptsContractIds(String id) {
        assertThat(Ids.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-lead", "../etc", "has space", "a..b", "dots.."})
    void refusesOthers(String id) {
        assertThat(Ids.isValid(id)).isFalse();
    }
}
