package dev.certgate.admin;

/** A policy in APIM's JSON form: {@code {"format": "rawxml", "value": "<policies>…"}}. */
public record PolicyContent(String format, String value) {
    public static final String RAW_XML = "rawxml";

    static PolicyContent rawXml(String value) {
        return new PolicyContent(RAW_XML, value);
    }
}
