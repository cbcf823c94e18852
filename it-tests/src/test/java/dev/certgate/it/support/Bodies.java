package dev.certgate.it.support;

import java.util.List;
import java.util.Map;

/** Request bodies in the APIM shape {@code {"properties": {...}}}. */
public final class Bodies {
    private Bodies() {
    }

    public static Map<String, Object> api(String path, String serviceUrl) {
        return Map.of("properties", Map.of("displayName", "API " + path, "path", path, "serviceUrl", serviceUrl,
                "protocols", List.of("https")));
    }

    public static Map<String, Object> operation(String method, String urlTemplate) {
        return Map.of("properties", Map.of("displayName", method + " " + urlTemplate, "method", method,
                "urlTemplate", urlTemplate));
    }

    public static Map<String, Object> backend(String url) {
        return Map.of("properties", Map.of("url", url, "protocol", "http"));
    }

    public static Map<String, Object> policy(String xml) {
        return Map.of("properties", Map.of("format", "rawxml", "value", xml));
    }
}
