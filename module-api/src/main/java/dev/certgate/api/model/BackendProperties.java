package dev.certgate.api.model;

/** {@code backendInformation.json}'s properties (APIM's BackendContract subset). */
public record BackendProperties(String url, String protocol, BackendCredentials credentials, TlsSettings tls,
                                String description) {
    public BackendProperties {
        credentials = credentials == null ? BackendCredentials.NONE : credentials;
        tls = tls == null ? TlsSettings.DEFAULT : tls;
    }
}
