package dev.certgate.x509;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * PEM data as text for Bouncy Castle's readers. A leading UTF-8 byte order mark (Windows editors write one) is
 * skipped: left in, it glues itself to the first {@code -----BEGIN} line, and that block is silently not read.
 */
public final class PemText {
    private PemText() {
    }

    public static Reader reader(byte[] data) {
        int start = data.length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB
                && (data[2] & 0xFF) == 0xBF ? 3 : 0;
        return new InputStreamReader(new ByteArrayInputStream(data, start, data.length - start),
                StandardCharsets.US_ASCII);
    }
}
