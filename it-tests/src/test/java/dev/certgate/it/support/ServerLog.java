package dev.certgate.it.support;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything the server logs during the ITs. Jetty and Certgate log through slf4j-simple to System.err (the
 * failsafe configuration pins that, without caching the stream), so this tees System.err and System.out into
 * memory and into {@code target/it-server.log}, and {@link #assertNoSecrets()} scans it.
 */
public final class ServerLog {
    private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
    private static boolean capturing;

    private ServerLog() {
    }

    static synchronized void capture() {
        if (capturing) {
            return;
        }
        try {
            OutputStream file = new FileOutputStream(Path.of(System.getProperty("certgate.it.logFile",
                    "target/it-server.log")).toFile(), false);
            System.setErr(tee(System.err, file));
            System.setOut(tee(System.out, file));
            capturing = true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the server log capture file", e);
        }
    }

    /** Everything logged so far. */
    public static String text() {
        synchronized (CAPTURED) {
            return CAPTURED.toString(StandardCharsets.UTF_8);
        }
    }

    /** No remembered password or key, and no PEM private key block, in anything logged so far. */
    public static void assertNoSecrets() {
        String log = text();
        assertThat(capturing).as("server log capture is running").isTrue();
        List<String> leaked = new ArrayList<>();
        for (String secret : Secrets.all()) {
            if (log.contains(secret)) {
                leaked.add("a secret of " + secret.length() + " characters");
            }
        }
        if (log.contains("PRIVATE KEY")) {
            leaked.add("a PRIVATE KEY block");
        }
        assertThat(leaked).as("secrets found in the server log (see target/it-server.log)").isEmpty();
    }

    private static PrintStream tee(PrintStream original, OutputStream file) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                original.write(bytes, offset, length);
                synchronized (CAPTURED) {
                    CAPTURED.write(bytes, offset, length);
                    file.write(bytes, offset, length);
                }
            }

            @Override
            public void flush() throws IOException {
                original.flush();
                file.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
