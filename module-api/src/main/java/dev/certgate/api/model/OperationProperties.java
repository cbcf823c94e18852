package dev.certgate.api.model;

import java.util.Map;

/**
 * {@code operationInformation.json}'s properties: {@code urlTemplate} such as {@code /orders/{id}}.
 * {@code unused} holds the file's other properties as written (APIM's {@code request}, {@code responses}, …),
 * kept but not acted on.
 */
public record OperationProperties(String displayName, String method, String urlTemplate, Map<String, Object> unused) {
    public OperationProperties {
        unused = JsonValues.frozen(unused);
    }

    public OperationProperties(String displayName, String method, String urlTemplate) {
        this(displayName, method, urlTemplate, Map.of());
    }
}
