package dev.certgate.admin;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
