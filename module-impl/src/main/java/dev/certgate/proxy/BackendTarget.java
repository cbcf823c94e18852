package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.http.HttpUrls;

import org.apache.hc.core5.http.HttpHost;

import java.net.URI;
import java.util.List;

/** A parsed back-end base URL: the host to connect to and the path prefix every request goes under. */
record BackendTarget(HttpHost host, String pathPrefix) {

    /**
     * @param apiId the API routed to {@code baseUrl}, named in the error a missing or broken URL gives (a
     *              configuration gap the loader could not see: the policy chose no back end)
     */
    static BackendTarget parse(String baseUrl, String apiId) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new CertgateException(ErrorCode.CONFIGURATION_ERROR, "API \"" + apiId + "\" has no back end: set its"
                    + " serviceUrl, or route it with set-backend-service (base-url or backend-id) in its policy");
        }
        URI uri = HttpUrls.parse(baseUrl.trim());
        try {
            if (uri == null) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            String prefix = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            return new BackendTarget(HttpHost.create(uri), prefix);
        } catch (IllegalArgumentException e) {
            throw new CertgateException(ErrorCode.CONFIGURATION_ERROR, "API \"" + apiId + "\" routes to a back-end URL"
                    + " that is not an absolute http(s) URL: correct its serviceUrl or set-backend-service",
                    List.of(), e);
        }
    }

    /** The request-target for the back end: prefix + path + {@code ?query}, all raw. */
    String requestUri(String path, String query) {
        String p = pathPrefix + (path == null ? "" : path);
        if (p.isEmpty()) {
            p = "/";
        }
        return query == null ? p : p + "?" + query;
    }
}
