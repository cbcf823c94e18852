package dev.certgate.inventory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpirySettingsTest {
    @Test
    void thirtyDaysUnlessSet() {
        assertThat(ExpirySettings.parse(null).warningDays()).isEqualTo(30);
        assertThat(ExpirySettings.parse(" ").warningDays()).isEqualTo(30);
        assertThat(ExpirySettings.parse(" 7 ").warningDays()).isEqualTo(7);
        assertThat(ExpirySettings.parse("0").warningDays()).as("expired ones only").isZero();
    }

    @Test
    void aValueThatIsNotAWholeNumberOfDaysIsRefusedNamingTheSetting() {
        for (String wrong : new String[] {"-1", "30d", "3651", "1.5"}) {
            assertThatThrownBy(() -> ExpirySettings.parse(wrong)).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("certgate.expiryWarningDays").hasMessageContaining(wrong);
        }
    }
}
