package dev.certgate.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A deterministic, non-repeating-looking byte stream of a given length, generated on the fly so that
 * large bodies never sit in memory; both ends can compute the same SHA-256.
 */
public final class PatternStream extends InputStream {
    private final long length;
    private long position;

    public PatternStream(long length) {
        this.length = length;
    }

    private static byte at(long i) {
        long x = i * 0x9E3779B97F4A7C15L;
        return (byte) (x >>> 56 ^ x >>> 29);
    }

    @Override
    public int read() {
        return position < length ? at(position++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int k = 0; k < n; k++) {
            b[off + k] = at(position++);
        }
        return n;
    }

    /** SHA-256 (hex) of the first {@code length} bytes of the pattern. */
    public static String sha256(long length) {
        return sha256(new PatternStream(length));
    }

    /** SHA-256 (hex) of everything {@code in} yields; closes it. */
    public static String sha256(InputStream in) {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
