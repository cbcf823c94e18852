package dev.certgate.config;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Strict UTF-8, as every policy document and specification is read (a byte-order mark is dropped): a file in another
 * encoding is an error, not mojibake, at the line and column of its first byte that is not UTF-8, so that it can be
 * found in an editor.
 */
final class Utf8Text {
    /** The file is not UTF-8; {@link #error()} says where. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ConfigError error;

        private Invalid(ConfigError error) {
            super(error.describe(), null, false, false); // reported as a ConfigError, never thrown further
            this.error = error;
        }

        ConfigError error() {
            return error;
        }
    }

    private Utf8Text() {
    }

    /**
     * The text of {@code bytes}, the content of {@code file}.
     *
     * @throws Invalid at the first byte that does not start or continue a UTF-8 character
     */
    static String decode(byte[] bytes, String file) throws Invalid {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never has fewer bytes than UTF-16 units
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            throw new Invalid(at(file, out, bytes[in.position()]));
        }
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The error at the end of {@code before}, the text decoded up to the bad byte. */
    private static ConfigError at(String file, CharBuffer before, byte bad) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < before.length(); i++) {
            if (before.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        String hint = before.length() == 0 && (bad == (byte) 0xFF || bad == (byte) 0xFE)
                ? ": the file starts with a UTF-16 byte-order mark; save it as UTF-8"
                : ": save the file as UTF-8";
        return new ConfigError(file, line, before.length() - lineStart + 1,
                String.format(Locale.ROOT, "not valid UTF-8: byte 0x%02X does not start or continue a character",
                        bad & 0xFF) + hint);
    }
}
