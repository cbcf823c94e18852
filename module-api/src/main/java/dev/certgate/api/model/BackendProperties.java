package dev.certgate.api.model;

import java.util.Map;

/**
 * {@code backendInformation.json}'s properties (APIM's BackendContract subset). {@code unused} holds the file's
 * other properties as written (APIM's {@code circuitBreaker}, {@code pool}, …), kept but not acted on.
 */
public record BackendProperties(String url, String protocol, BackendCredentials credentials, TlsSettings tls,
                                String description, Map<String, Object> unused) {
    public BackendProperties {
        credentials = credentials == null ? BackendCredentials.NONE : credentials;
        tls = tls == null ? TlsSettings.DEFAULT : tls;
        unused = JsonValues.frozen(unused);
    }

    public BackendProperties(String url, String protocol, BackendCredentials credentials, TlsSettings tls,
                             String description) {
        this(url, protocol, credentials, tls, description, Map.of());
    }
}
