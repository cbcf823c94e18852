package dev.certgate.proxy;

import dev.certgate.api.ErrorCode;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The gateway's error body for callers outside this package (the web application's error page), with the
 * same fixed message per reason as the proxy's own errors.
 */
public final class GatewayErrors {
    private GatewayErrors() {
    }

    /** Replaces whatever was set on the (uncommitted) response with {@code code}'s error. */
    public static void write(HttpServletResponse response, ErrorCode code, String requestId) throws IOException {
        ErrorResponses.write(response, code, requestId);
    }
}
