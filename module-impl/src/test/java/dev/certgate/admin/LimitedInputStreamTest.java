package dev.certgate.admin;

import dev.certgate.http.BodyDeadline;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class LimitedInputStreamTest {
    @Test
    void aBodyOfExactlyTheLimitIsReadWhole() throws IOException {
        try (InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[100]), 100)) {
            assertThat(in.readAllBytes()).hasSize(100);
        }
    }

    @Test
    void oneByteMoreFailsWhileReadingWithoutReadingTheRest() {
        CountingStream endless = new CountingStream();
        InputStream in = new LimitedInputStream(endless, 1000);

        assertThatThrownBy(in::readAllBytes).isInstanceOf(BodyTooLargeException.class)
                .hasMessageContaining("1000 bytes");
        assertThat(endless.served).isLessThan(1000 + 64 * 1024);
    }

    @Test
    void singleByteReadsCountToo() throws IOException {
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[3]), 2);
        in.read();
        in.read();

        assertThatThrownBy(in::read).isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void aReadTheContainerFailsIsReportedAsAnUnreadableBodyAndTheLimitStillWins() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new java.io.EOFException("Early EOF");
            }
        };

        assertThatThrownBy(() -> new BodyReadFailures(broken).read(new byte[8], 0, 8))
                .isInstanceOf(UnreadableBodyException.class).hasMessageContaining("ended before its stated length");
        assertThatThrownBy(() -> new LimitedInputStream(new BodyReadFailures(new CountingStream()), 10).readAllBytes())
                .isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void aBodyTooSlowForTheDeadlineFailsAtTheFirstReadPastItAsTimedOut() throws IOException {
        AtomicLong now = new AtomicLong(1_000_000);
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[100]), 1000,
                new BodyDeadline(Duration.ofSeconds(3), 10), now::get);
        in.read(new byte[5], 0, 5);
        now.addAndGet(2_999);
        in.read(); // slow, but before the deadline
        now.addAndGet(2_001); // 5 s in: 30 bytes needed at 10 bytes/s, 7 came

        UnreadableBodyException late = catchThrowableOfType(in::read, UnreadableBodyException.class);

        assertThat(late.timedOut()).isTrue();
        assertThat(late).hasMessage("The request body did not arrive within 3 s (7 bytes in 5000 ms, below 10 bytes/s);"
                + " nothing was changed");
    }

    @Test
    void aBodyKeepingTheMinimumRatePastTheDeadlineIsReadWhole() throws IOException {
        AtomicLong now = new AtomicLong();
        InputStream slowButSteady = new InputStream() {
            private int left = 100;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                now.addAndGet(100); // 10 bytes/s, the minimum
                return 'x';
            }
        };
        InputStream in = new LimitedInputStream(slowButSteady, 1000, new BodyDeadline(Duration.ofSeconds(3), 10),
                now::get);

        assertThat(in.readAllBytes()).hasSize(100);
        assertThat(now.get()).isEqualTo(10_000);
    }

    /** An endless body that counts what it handed out. */
    private static final class CountingStream extends InputStream {
        long served;

        @Override
        public int read() {
            served++;
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            served += length;
            return length;
        }
    }
}
