package dev.certgate.launcher;

/** A command line or environment variable the launcher cannot use; the message names the culprit. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
