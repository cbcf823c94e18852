package dev.certgate.proxy;

import dev.certgate.http.BodyDeadline;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** certgate.forwarding and the body deadline's settings: defaults, accepted values, refusals that name the setting. */
class ForwardingSettingsTest {
    @Test
    void unsetMeansNonBlockingWithTheDefaultBodyDeadline() {
        ForwardingSettings settings = ForwardingSettings.parse(null, " ", null);

        assertThat(settings.nonBlocking()).isTrue();
        assertThat(settings.bodyDeadline()).isEqualTo(new BodyDeadline(Duration.ofSeconds(30), 1024));
    }

    @Test
    void asyncAndTheBodyDeadlineAreReadAsGiven() {
        ForwardingSettings settings = ForwardingSettings.parse(" Async ", "5", "0");

        assertThat(settings.nonBlocking()).isTrue();
        assertThat(settings.bodyDeadline()).isEqualTo(new BodyDeadline(Duration.ofSeconds(5), 0));
        assertThat(ForwardingSettings.parse("blocking", null, null).nonBlocking()).isFalse();
    }

    @Test
    void aWrongValueIsRefusedNamingTheSettingAndWhatItTakes() {
        assertThatThrownBy(() -> ForwardingSettings.parse("nio", null, null))
                .hasMessage("certgate.forwarding is \"nio\": use async or blocking");
        assertThatThrownBy(() -> ForwardingSettings.parse("async", "0", null))
                .hasMessage("certgate.requestBodyTimeout is \"0\": use a whole number from 1");
        assertThatThrownBy(() -> ForwardingSettings.parse("async", null, "fast"))
                .hasMessage("certgate.requestBodyMinRate is \"fast\": use a whole number from 0");
    }
}
