package dev.certgate.admin;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateViewTest {
    private static final Instant NOW = Instant.parse("2030-01-10T12:00:00Z");

    @Test
    void daysToExpiryRoundsDownSoAnExpiredCertificateIsNegative() {
        assertThat(CertificateView.daysBetween(NOW, NOW.plus(Duration.ofDays(10).plusHours(23)))).isEqualTo(10);
        assertThat(CertificateView.daysBetween(NOW, NOW.plusSeconds(1))).isZero();
        assertThat(CertificateView.daysBetween(NOW, NOW.minusSeconds(60))).isEqualTo(-1);
        assertThat(CertificateView.daysBetween(NOW, NOW.minus(Duration.ofDays(35)))).isEqualTo(-35);
    }
}
