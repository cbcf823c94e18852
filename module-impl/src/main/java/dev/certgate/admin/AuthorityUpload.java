package dev.certgate.admin;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;

/**
 * The JSON upload {@code {"properties": {"data": "<base64 of PEM or DER>"}}}; the other properties are collected in
 * {@code unused} so that a misspelt one is refused, not dropped.
 */
public record AuthorityUpload(String data, @JsonAnySetter Map<String, Object> unused) {
    public AuthorityUpload {
        unused = unused == null ? Map.of() : unused;
    }

    @Override
    @JsonIgnore
    public Map<String, Object> unused() {
        return unused;
    }
}
