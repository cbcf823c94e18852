package dev.certgate.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BodyDeadlineTest {
    private static final BodyDeadline THIRTY_SECONDS_THEN_1_KIB = new BodyDeadline(Duration.ofSeconds(30), 1024);

    @Test
    void aBodyIsNeverLateBeforeTheTimeoutHoweverSlow() {
        assertThat(THIRTY_SECONDS_THEN_1_KIB.late(0, 29_999)).isNull();
    }

    @Test
    void pastTheTimeoutABodyKeepsGoingWhileItsAverageRateStaysAtTheMinimum() {
        assertThat(THIRTY_SECONDS_THEN_1_KIB.late(30 * 1024, 30_000)).isNull();
        assertThat(THIRTY_SECONDS_THEN_1_KIB.late(60 * 1024, 60_000)).isNull();
        assertThat(THIRTY_SECONDS_THEN_1_KIB.late(60 * 1024 - 1, 60_000))
                .isEqualTo("did not arrive within 30 s (61439 bytes in 60000 ms, below 1024 bytes/s)");
    }

    @Test
    void withNoMinimumRateTheTimeoutIsTheEnd() {
        BodyDeadline strict = new BodyDeadline(Duration.ofSeconds(5), 0);

        assertThat(strict.late(1_000_000, 4_999)).isNull();
        assertThat(strict.late(1_000_000, 5_000)).startsWith("did not arrive within 5 s");
    }
}
