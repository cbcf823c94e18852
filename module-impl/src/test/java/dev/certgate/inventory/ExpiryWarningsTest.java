package dev.certgate.inventory;

import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.AuthorityProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.config.ApiConfig;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.EntityUsers;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.HomeLayout;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiryWarningsTest {
    private static final Instant NOW = Instant.parse("2030-01-10T12:00:00Z");
    private static final HomeLayout LAYOUT = new HomeLayout(Path.of("/srv/certgate").toAbsolutePath());
    private static final Function<String, Optional<Instant>> NOTHING_STORED = id -> Optional.empty();

    @Test
    void theKeyStoresDateWinsOverAMetadataDateEditedByHand() {
        GatewaySnapshot snapshot = snapshot(Map.of("edited", certificate(NOW.plus(Duration.ofDays(365)))), Map.of());
        Instant stored = NOW.plus(Duration.ofDays(5).plusHours(1));

        assertThat(ExpiryWarnings.of(snapshot, LAYOUT, NOW, 30, NOTHING_STORED)).isEmpty();
        assertThat(ExpiryWarnings.of(snapshot, LAYOUT, NOW, 30, id -> Optional.of(stored)))
                .singleElement().satisfies(warning -> {
                    assertThat(warning.code()).isEqualTo("CertificateExpiresSoon");
                    assertThat(warning.notAfter()).isEqualTo(stored);
                    assertThat(warning.daysToExpiry()).isEqualTo(5);
                });
    }

    @Test
    void whatExpiresWithinTheDaysOrHasExpiredIsListedWithItsUsersAndNothingElse() {
        GatewaySnapshot snapshot = snapshot(
                Map.of("soon", certificate(NOW.plus(Duration.ofDays(5).plusHours(1))),
                        "gone", certificate(NOW.minus(Duration.ofDays(2))),
                        "later", certificate(NOW.plus(Duration.ofDays(90)))),
                Map.of("old-ca", authority(NOW.minus(Duration.ofDays(1))),
                        "soon-ca", authority(NOW.plus(Duration.ofDays(29))),
                        "fine-ca", authority(NOW.plus(Duration.ofDays(31)))));

        List<ExpiryWarnings.Warning> warnings = ExpiryWarnings.of(snapshot, LAYOUT, NOW, 30, NOTHING_STORED);

        assertThat(warnings).extracting(ExpiryWarnings.Warning::code, ExpiryWarnings.Warning::daysToExpiry)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("CertificateExpired", -2L),
                        org.assertj.core.groups.Tuple.tuple("CertificateExpiresSoon", 5L),
                        org.assertj.core.groups.Tuple.tuple("AuthorityExpired", -1L),
                        org.assertj.core.groups.Tuple.tuple("AuthorityExpiresSoon", 29L));
        ExpiryWarnings.Warning soon = warnings.get(1);
        assertThat(soon.certificateId()).isEqualTo("soon");
        assertThat(soon.authorityId()).isNull();
        assertThat(soon.file()).isEqualTo("config/certificates/soon/certificateInformation.json");
        assertThat(soon.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(5).plusHours(1)));
        assertThat(soon.users()).extracting(EntityUsers.User::id)
                .containsExactly("/apis/orders/policies/policy", "/apis/orders");
        assertThat(soon.message()).contains("soon", "in 5 days", "/apis/orders");
        assertThat(warnings.get(0).users()).as("gone is used by nothing").isEmpty();
        assertThat(warnings.get(0).message()).contains("expired on", "nothing uses it");
        ExpiryWarnings.Warning ca = warnings.get(3);
        assertThat(ca.authorityId()).isEqualTo("soon-ca");
        assertThat(ca.file()).isEqualTo("config/authorities/soon-ca/authority.pem");
        assertThat(ca.users()).isNull();
    }

    @Test
    void theLineIsTheNumberOfDaysAndZeroDaysWarnsOfExpiredOnesOnly() {
        // X.509's notAfter is the last valid instant: a second past it is expired, at it not yet.
        GatewaySnapshot snapshot = snapshot(Map.of("edge", certificate(NOW.plus(Duration.ofDays(30)).minusSeconds(1)),
                "after", certificate(NOW.plus(Duration.ofDays(30))), "now", certificate(NOW.minusSeconds(1))), Map.of());

        assertThat(ExpiryWarnings.of(snapshot, LAYOUT, NOW, 30, NOTHING_STORED)).extracting(ExpiryWarnings.Warning::certificateId,
                ExpiryWarnings.Warning::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("edge", "CertificateExpiresSoon"),
                org.assertj.core.groups.Tuple.tuple("now", "CertificateExpired"));
        assertThat(ExpiryWarnings.of(snapshot, LAYOUT, NOW, 0, NOTHING_STORED)).extracting(ExpiryWarnings.Warning::certificateId)
                .containsExactly("now");
    }

    @Test
    void daysToExpiryRoundDownSoAnExpiredOneIsNegative() {
        assertThat(ExpiryWarnings.daysToExpiry(NOW, NOW.plus(Duration.ofDays(10).plusHours(23)))).isEqualTo(10);
        assertThat(ExpiryWarnings.daysToExpiry(NOW, NOW.plusSeconds(1))).isZero();
        assertThat(ExpiryWarnings.daysToExpiry(NOW, NOW.minusSeconds(60))).isEqualTo(-1);
    }

    private static CertificateProperties certificate(Instant notAfter) {
        return new CertificateProperties("CN=client", "CN=ca", "0123456789ABCDEF0123456789ABCDEF01234567", "00",
                notAfter, notAfter.minus(Duration.ofDays(365)));
    }

    private static AuthorityConfig authority(Instant notAfter) {
        X509Certificate ca = TestPki.selfSigned(TestPki.spec().subject("CN=Expiry Test CA").ca().ec()
                .validity(notAfter.minus(Duration.ofDays(365)), notAfter)).certificate();
        return new AuthorityConfig("ca", new AuthorityProperties("CN=Expiry Test CA", "00", notAfter,
                notAfter.minus(Duration.ofDays(365))), ca);
    }

    private static GatewaySnapshot snapshot(Map<String, CertificateProperties> certificates,
                                            Map<String, AuthorityConfig> authorities) {
        PolicyDocument presentsSoon = new PolicyDocument(List.of(AuthenticationCertificate.byId("soon")), List.of(),
                List.of(), List.of());
        ApiConfig orders = new ApiConfig("orders", new ApiProperties("orders", "orders", "https://backend.example",
                List.of("https")), presentsSoon, Map.of(), presentsSoon);
        return new GatewaySnapshot(1, NOW, PolicyDocument.INHERIT, Map.of("orders", orders), Map.of(),
                new TreeMap<>(certificates), new TreeMap<>(authorities));
    }
}
