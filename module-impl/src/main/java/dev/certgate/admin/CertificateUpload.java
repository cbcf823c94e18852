package dev.certgate.admin;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;

/**
 * The JSON upload {@code {"properties": {"data": "<base64>", "password": "..."}}}; never printed whole. The other
 * properties are collected in {@code unused} so that a misspelt one ({@code passwrd}) is refused, not dropped.
 */
public record CertificateUpload(String data, String password, @JsonAnySetter Map<String, Object> unused) {
    public CertificateUpload {
        unused = unused == null ? Map.of() : unused;
    }

    @Override
    @JsonIgnore
    public Map<String, Object> unused() {
        return unused;
    }

    @Override
    public String toString() {
        return "CertificateUpload[redacted]";
    }
}
