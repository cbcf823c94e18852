package dev.certgate.api.model;

import java.util.List;
import java.util.Map;

/**
 * {@code apiInformation.json}'s properties (APIM's ApiContract subset). {@code path} is the URL
 * suffix under which the gateway serves the API; empty for the root API. {@code unused} holds the
 * file's other properties by name, as written (APIM's {@code apiRevision}, {@code subscriptionRequired},
 * …): Certgate keeps them, so that writing the entity back does not drop them, but does not act on them.
 */
public record ApiProperties(String displayName, String path, String serviceUrl, List<String> protocols,
                            Map<String, Object> unused) {
    public ApiProperties {
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
        unused = JsonValues.frozen(unused);
    }

    public ApiProperties(String displayName, String path, String serviceUrl, List<String> protocols) {
        this(displayName, path, serviceUrl, protocols, Map.of());
    }
}
