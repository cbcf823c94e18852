package dev.certgate.api.model;

import java.util.List;
import java.util.Map;

/**
 * {@code namedValueInformation.json}'s properties (APIM's NamedValueContract). Policies and backends refer to a
 * named value as {@code {{displayName}}}. A {@code secret} one, or one kept in Azure Key Vault ({@code keyVault}:
 * {@code secretIdentifier}, {@code identityClientId}), has no {@code value} in the file: Certgate keeps its value
 * encrypted under {@code secrets/}. {@code unused} holds the file's other properties as written.
 */
public record NamedValueProperties(String displayName, String value, Boolean secret, Map<String, Object> keyVault,
                                   List<String> tags, Map<String, Object> unused) {
    public NamedValueProperties {
        keyVault = keyVault == null ? null : JsonValues.frozen(keyVault);
        tags = tags == null ? null : List.copyOf(tags);
        unused = JsonValues.frozen(unused);
    }

    /** Whether the value is a secret: marked so, or kept in Key Vault. Its value then stays out of config/. */
    public boolean secretValue() {
        return Boolean.TRUE.equals(secret) || keyVault != null;
    }

    /** The same properties with another value (null: none, as a secret's file holds). */
    public NamedValueProperties withValue(String newValue) {
        return new NamedValueProperties(displayName, newValue, secret, keyVault, tags, unused);
    }
}
