package dev.certgate.api.model;

/** {@code operationInformation.json}'s properties: {@code urlTemplate} such as {@code /orders/{id}}. */
public record OperationProperties(String displayName, String method, String urlTemplate) {
}
