package dev.certgate.proxy;

import java.io.IOException;

/** The caller's side failed (it went away mid-upload or mid-download): nothing to report to it, nothing wrong with the back end. */
final class CallerGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    CallerGoneException(IOException cause) {
        super("the caller's connection failed", cause);
    }
}
