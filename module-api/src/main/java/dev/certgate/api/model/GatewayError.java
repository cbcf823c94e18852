package dev.certgate.api.model;

/** The error body a proxied caller sees, APIM's shape plus {@code reason} and {@code requestId}. */
public record GatewayError(int statusCode, String message, String reason, String requestId) {
}
