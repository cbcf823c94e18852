package dev.certgate;

import dev.certgate.outbound.PoolSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitSettingsTest {
    @Test
    void unsetSettingsTakeTheDefaults() {
        LimitSettings limits = LimitSettings.read((name, environment) -> null);

        assertThat(limits.pools()).isEqualTo(PoolSettings.DEFAULTS);
        assertThat(limits.pools().maxPerRoute()).isEqualTo(2048);
        assertThat(limits.pools().maxTotal()).isEqualTo(2048);
        assertThat(limits.pools().leaseTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(limits.pools().ioThreads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        assertThat(limits.maxRequestsInFlight()).isEqualTo(4096);
        assertThat(limits.adminMaxBodyBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void eachSettingIsLookedUpByItsNameAndEnvironmentVariable() {
        Map<String, String> given = Map.of(
                "certgate.pool.maxConnections/CERTGATE_POOL_MAX_CONNECTIONS", " 16 ",
                "certgate.pool.leaseTimeout/CERTGATE_POOL_LEASE_TIMEOUT", "0.25",
                "certgate.pool.ioThreads/CERTGATE_POOL_IO_THREADS", "3",
                "certgate.maxRequestsInFlight/CERTGATE_MAX_REQUESTS_IN_FLIGHT", "100",
                "certgate.admin.maxBodyBytes/CERTGATE_ADMIN_MAX_BODY_BYTES", "4096");

        LimitSettings limits = LimitSettings.read((name, environment) -> given.get(name + "/" + environment));

        assertThat(limits.pools().maxPerRoute()).isEqualTo(16);
        assertThat(limits.pools().maxTotal()).isEqualTo(16);
        assertThat(limits.pools().leaseTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(limits.pools().ioThreads()).isEqualTo(3);
        assertThat(limits.pools().connectTimeout()).isEqualTo(PoolSettings.DEFAULTS.connectTimeout());
        assertThat(limits.maxRequestsInFlight()).isEqualTo(100);
        assertThat(limits.adminMaxBodyBytes()).isEqualTo(4096);
        assertThat(read("certgate.pool.leaseTimeout", "3600").pools().leaseTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(read("certgate.pool.leaseTimeout", "0.001").pools().leaseTimeout()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aValueThatIsNotAPositiveWholeNumberIsRefusedByName() {
        for (String name : new String[] {"certgate.pool.maxConnections", "certgate.maxRequestsInFlight",
                "certgate.admin.maxBodyBytes"}) {
            for (String wrong : new String[] {"0", "-1", "lots", "1.5", "1e3", "2147483648", "0x10", ""}) {
                assertThatThrownBy(() -> read(name, wrong)).as(name + "=" + wrong)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith(name + ": '" + wrong + "' is not a whole number from 1 to 999999999");
            }
        }
    }

    @Test
    void aPoolThreadCountOutsideOneTo256IsRefusedByName() {
        assertThat(read("certgate.pool.ioThreads", "256").pools().ioThreads()).isEqualTo(256);
        for (String wrong : new String[] {"0", "257", "-1", "two", ""}) {
            assertThatThrownBy(() -> read("certgate.pool.ioThreads", wrong)).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("certgate.pool.ioThreads: '" + wrong + "' is not a whole number from 1 to 256"
                            + " (default ");
        }
    }

    @Test
    void aLeaseTimeoutThatIsNotSecondsFromAMillisecondToAnHourIsRefusedByName() {
        for (String wrong : new String[] {"0", "0.0004", "-1", "5s", "PT5S", "1e3", "3600.001", "1.2345", "", "NaN"}) {
            assertThatThrownBy(() -> read("certgate.pool.leaseTimeout", wrong)).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("certgate.pool.leaseTimeout: '" + wrong + "' is not a number of seconds from 0.001 to"
                            + " 3600, such as 5 or 0.5 (default 5)");
        }
    }

    @Test
    void aBadSettingStopsTheStartBeforeTheHomeIsTouched(@TempDir Path directory) {
        Path home = directory.resolve("home");

        assertThatThrownBy(() -> CertgateRuntime.start(home, Map.of("CERTGATE_MAX_REQUESTS_IN_FLIGHT", "many"),
                name -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certgate.maxRequestsInFlight: 'many' is not a whole number");
        assertThat(home).doesNotExist();
    }

    @Test
    void theRuntimeKeepsTheAdminBodyLimitItWasStartedWith(@TempDir Path directory) {
        try (CertgateRuntime runtime = CertgateRuntime.start(directory.resolve("home"),
                Map.of("CERTGATE_ADMIN_MAX_BODY_BYTES", "2048"), name -> null)) {
            assertThat(runtime.adminMaxBodyBytes()).isEqualTo(2048);
        }
    }

    private static LimitSettings read(String setting, String value) {
        return LimitSettings.read((name, environment) -> name.equals(setting) ? value : null);
    }
}
