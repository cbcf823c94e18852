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

/** The ETags of the files behind admin entities, and the {@link Preconditions} of a {@link ConfigChange}. */
final class EntityTags {
    private static final String WILDCARD = "*";
    private static final String WEAK = "W/";

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

    /**
     * Refuses with 412 unless the file's current version meets the preconditions, evaluated in RFC 9110's order:
     * {@code If-Match} by strong comparison ("*": it exists), then {@code If-None-Match} by weak comparison ("*": it
     * does not exist).
     */
    static void require(Path file, Preconditions conditions) {
        String actual = of(file);
        if (conditions.ifMatch() != null) {
            requireMatch(actual, conditions.ifMatch());
        }
        if (conditions.ifNoneMatch() != null) {
            requireNoneMatch(actual, conditions.ifNoneMatch());
        }
    }

    private static void requireMatch(String actual, String ifMatch) {
        if (actual == null) {
            throw new CertgateException(ErrorCode.PRECONDITION_FAILED,
                    "If-Match: the entity does not exist, so no ETag can match");
        }
        List<String> accepted = listed(ifMatch);
        if (!accepted.contains(WILDCARD) && !accepted.contains(actual)) {
            throw new CertgateException(ErrorCode.PRECONDITION_FAILED,
                    "If-Match: the entity has changed since it was read; its current ETag is " + actual);
        }
    }

    private static void requireNoneMatch(String actual, String ifNoneMatch) {
        if (actual == null) {
            return;
        }
        List<String> refused = listed(ifNoneMatch).stream()
                .map(tag -> tag.startsWith(WEAK) ? tag.substring(WEAK.length()) : tag)
                .toList();
        if (refused.contains(WILDCARD)) {
            throw new CertgateException(ErrorCode.PRECONDITION_FAILED,
                    "If-None-Match: * allows only creating, and the entity exists; its current ETag is " + actual
                            + ". Send If-Match with that ETag to replace it");
        }
        if (refused.contains(actual)) {
            throw new CertgateException(ErrorCode.PRECONDITION_FAILED,
                    "If-None-Match: the entity's current ETag " + actual + " is one the header lists");
        }
    }

    private static List<String> listed(String header) {
        return Arrays.stream(header.split(",")).map(String::trim).toList();
    }
}
