package dev.certgate.config;

import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeRefusalTest {
    private static final String POLICY = "config/apis/orders/policy.xml";
    private static final ConfigError IP_FILTER = new ConfigError(POLICY, 4, 5, "<ip-filter>: unknown policy");
    private static final ConfigError GLOBAL = new ConfigError("config/policy.xml", 3, 3, "<set-variable>: unknown");
    private static final ConfigError VAULT = new ConfigError(POLICY, 5, 39, "named value 'v' needs a value");

    @Test
    void errorsAlreadyOnDiskRefuseNothing() {
        assertThat(ChangeRefusal.added(List.of(GLOBAL, IP_FILTER), List.of(IP_FILTER, GLOBAL))).isEmpty();
        assertThat(ChangeRefusal.of(List.of(GLOBAL, IP_FILTER), List.of(IP_FILTER, GLOBAL))).isNull();
    }

    @Test
    void aChangeThatRemovesErrorsAddsNone() {
        assertThat(ChangeRefusal.added(List.of(GLOBAL), List.of(GLOBAL, IP_FILTER, VAULT))).isEmpty();
    }

    @Test
    void anErrorTheChangeAddsRefusesItWithItsFileLineColumnAndMessageOnly() {
        ConfigError dangling = new ConfigError("config/apis/fresh/policy.xml", 4, 5, "backend-id \"nope\" does not exist");

        var refusal = ChangeRefusal.of(List.of(GLOBAL, dangling, IP_FILTER), List.of(GLOBAL, IP_FILTER));

        assertThat(refusal.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refusal.getMessage()).isEqualTo("The change would make the configuration invalid: "
                + "config/apis/fresh/policy.xml:4:5: backend-id \"nope\" does not exist");
        assertThat(refusal.details()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("InvalidConfiguration");
            assertThat(d.target()).isEqualTo("config/apis/fresh/policy.xml");
            assertThat(d.message()).isEqualTo("4:5: backend-id \"nope\" does not exist");
        });
    }

    @Test
    void anErrorMovedByLinesAddedAboveItIsTheSameError() {
        ConfigError moved = new ConfigError(POLICY, 9, 7, IP_FILTER.message());
        ConfigError expression = new ConfigError(POLICY, 6, 20, "policy expression (line 6, column 20): not supported");
        ConfigError expressionMoved = new ConfigError(POLICY, 8, 22,
                "policy expression (line 8, column 22): not supported");

        assertThat(ChangeRefusal.added(List.of(moved, expressionMoved), List.of(IP_FILTER, expression))).isEmpty();
    }

    @Test
    void theSameMessageOnceMoreThanBeforeIsAdded() {
        ConfigError second = new ConfigError(POLICY, 7, 5, IP_FILTER.message());

        assertThat(ChangeRefusal.added(List.of(IP_FILTER, second), List.of(IP_FILTER))).containsExactly(second);
    }

    @Test
    void theSameMessageInAnotherFileIsAdded() {
        ConfigError elsewhere = new ConfigError("config/apis/fresh/policy.xml", 4, 5, IP_FILTER.message());

        assertThat(ChangeRefusal.added(List.of(IP_FILTER, elsewhere), List.of(IP_FILTER))).containsExactly(elsewhere);
    }

    @Test
    void everyAddedErrorIsListedAndCounted() {
        ConfigError one = ConfigError.of("config/backends/a/backendInformation.json", "url is required");
        ConfigError two = new ConfigError("config/backends/b/backendInformation.json", 2, 1, "not JSON");

        var refusal = ChangeRefusal.of(List.of(one, GLOBAL, two), List.of(GLOBAL));

        assertThat(refusal.getMessage()).endsWith("url is required (and 1 more)");
        assertThat(refusal.details()).extracting(ErrorDetail::target).containsExactly(
                "config/backends/a/backendInformation.json", "config/backends/b/backendInformation.json");
    }
}
