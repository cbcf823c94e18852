package dev.certgate.admin;

/** The JSON upload {@code {"properties": {"data": "<base64 of PEM or DER>"}}}. */
public record AuthorityUpload(String data) {
}
