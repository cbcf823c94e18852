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
import java.util.Map;

/** The ETags of the files behind admin entities, and the {@code If-Match} check a change makes under the lock. */
final class EntityTags {
    private static final String WILDCARD = "*";

    private final HomeLayout layout;

    EntityTags(HomeLayout layout) {
        this.layout = layout;
    }

    /** The strong ETag of a file's current content (quoted), or null if it does not exist. */
    String of(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            throw new UncheckedIOException("cannot read " + layout.relative(file), e);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Refuses with 412 unless each file's current ETag is one its {@code If-Match} value lists ("*": it exists). */
    void checkIfMatch(Map<Path, String> expected) {
        expected.forEach((file, ifMatch) -> {
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
        });
    }
}
