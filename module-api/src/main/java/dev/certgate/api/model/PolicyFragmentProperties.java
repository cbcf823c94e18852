package dev.certgate.api.model;

import java.util.Map;

/**
 * {@code policyFragmentInformation.json}'s properties (APIM's PolicyFragmentContract): a {@code description}; the
 * fragment's XML is the folder's {@code policy.xml}. {@code unused} holds the file's other properties as written.
 */
public record PolicyFragmentProperties(String description, Map<String, Object> unused) {
    public PolicyFragmentProperties {
        unused = JsonValues.frozen(unused);
    }
}
