package dev.certgate.api;

/** One entry of an ARM error's {@code details}: what is wrong ({@code code}), where ({@code target}), and why. */
public record ErrorDetail(String code, String target, String message) {
}
