package dev.certgate.launcher.server;

import org.eclipse.jetty.util.security.Credential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A password taken literally. Jetty's own types read a password that starts with {@code OBF:}, {@code MD5:}
 * or {@code CRYPT:} as an encoded form ({@code Credential.getCredential}, even {@code new Password(...)}
 * de-obfuscates), so the configured text would no longer log in. Only a SHA-256 digest is kept, and
 * digests are compared, so the time a check takes tells nothing about the password, not even its length.
 */
final class LiteralCredential extends Credential {
    private static final long serialVersionUID = 1L;

    private final byte[] digest;

    LiteralCredential(String password) {
        this.digest = sha256(password);
    }

    @Override
    public boolean check(Object credentials) {
        String offered;
        if (credentials instanceof String text) {
            offered = text;
        } else if (credentials instanceof char[] chars) {
            offered = new String(chars);
        } else {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(offered));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
