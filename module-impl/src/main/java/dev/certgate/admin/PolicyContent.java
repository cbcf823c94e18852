package dev.certgate.admin;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;

/**
 * A policy in APIM's JSON form: {@code {"format": "rawxml", "value": "<policies>…"}}. Other properties of a body
 * are collected in {@code unused} so that a misspelt one is refused, not dropped; answers have none.
 */
public record PolicyContent(String format, String value, @JsonAnySetter Map<String, Object> unused) {
    public static final String RAW_XML = "rawxml";

    public PolicyContent {
        unused = unused == null ? Map.of() : unused;
    }

    static PolicyContent rawXml(String value) {
        return new PolicyContent(RAW_XML, value, Map.of());
    }

    @Override
    @JsonIgnore
    public Map<String, Object> unused() {
        return unused;
    }
}
