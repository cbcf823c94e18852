package dev.certgate.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Answers read by hand from a kept-alive connection, where reading to the end of the stream would wait forever. */
public final class KeptAliveAnswers {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?m)^content-length:\\s*(\\d+)");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private KeptAliveAnswers() {
    }

    /** One answer: its status and its body. */
    public record Answer(int status, byte[] body) {
    }

    /**
     * Reads one answer with a Content-Length body and leaves the connection where the next answer starts; returns its
     * status. The socket may have a short read timeout: the answer is waited for up to 20 s all the same.
     */
    public static int readStatus(InputStream in) throws IOException {
        return read(in).status();
    }

    /** As {@link #readStatus}, with the body. */
    public static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            try {
                int read = in.read();
                assertThat(read).as("connection open until the answer's head ends").isNotNegative();
                head.write(read);
            } catch (SocketTimeoutException notYet) {
                assertThat(System.nanoTime()).as("an answer within " + WAIT).isLessThan(deadline);
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Matcher length = CONTENT_LENGTH.matcher(text.toLowerCase(Locale.ROOT));
        assertThat(length.find()).as("a Content-Length in " + text).isTrue();
        byte[] body = new byte[Integer.parseInt(length.group(1))];
        int filled = 0;
        while (filled < body.length) {
            try {
                int read = in.read(body, filled, body.length - filled);
                assertThat(read).as("connection open until the answer's body ends").isNotNegative();
                filled += read;
            } catch (SocketTimeoutException notYet) {
                assertThat(System.nanoTime()).as("a body within " + WAIT).isLessThan(deadline);
            }
        }
        return new Answer(Integer.parseInt(text.substring(text.indexOf(' ') + 1, text.indexOf(' ') + 4)), body);
    }
}
