package dev.certgate.config;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The ETags of the files behind admin entities, and the {@code If-Match} precondition of a {@link ConfigChange}. */
final class EntityTags {
    private static final String WILDCARD = "*";

    private EntityTags() {
    }

    /** The strong ETag of a file's current content (quoted), or null if it does not exist. */
    static String of(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Refuses with 412 unless the file's current ETag is one its {@code If-Match} value lists ("*": it exists). */
    static void requireMatch(Path file, String ifMatch) {
        String actual = of(file);
        if (actual == null) {
            throw new CertgateException(ErrorCode.PRECONDITION_FAILED,
                    "If-Match: the entity does not exist, so no ETag can match");
        }
        List<String> accepted = Arrays.stream(ifMatch.split(",")).map(String::trim).toList();
        if (!accepted.contains(WILDCARD) && !accepted.contains(actual)) {
            throw new CertgateException(ErrorCode.PRECONDITION_FAILED,
                    "If-Match: the entity has changed since it was read; its current ETag is " + actual);
        }
    }
}
