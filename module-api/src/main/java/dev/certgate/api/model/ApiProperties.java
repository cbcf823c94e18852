package dev.certgate.api.model;

import java.util.List;

/**
 * {@code apiInformation.json}'s properties (APIM's ApiContract subset). {@code path} is the URL
 * suffix under which the gateway serves the API; empty for the root API.
 */
public record ApiProperties(String displayName, String path, String serviceUrl, List<String> protocols) {
    public ApiProperties {
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
    }
}
