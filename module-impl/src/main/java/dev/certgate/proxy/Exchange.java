package dev.certgate.proxy;

import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.TlsSettings;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.RewriteUri;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * One request on its way through the policies: where it goes (base URL or backend, path and query after
 * it), the headers it carries, the certificate a policy chose, and the forward-request settings.
 * Mutable, used by one thread.
 */
final class Exchange {
    final Route route;
    final Headers headers;
    private String baseUrl;
    private BackendProperties backend;
    private String path;
    private String query;
    private AuthenticationCertificate certificate;
    private ForwardRequest forwardSettings = ForwardRequest.DEFAULT;

    Exchange(Route route, Headers headers, String query) {
        this.route = route;
        this.headers = headers;
        this.baseUrl = route.api().properties().serviceUrl();
        this.path = route.rest();
        this.query = query == null || query.isEmpty() ? null : query;
    }

    /** {@code set-backend-service base-url}: a plain URL, no backend entity (so no credentials, default TLS). */
    void baseUrl(String url) {
        this.baseUrl = url;
        this.backend = null;
    }

    /** {@code set-backend-service backend-id}: the backend's URL, credentials and TLS settings. */
    void backend(BackendProperties properties) {
        this.baseUrl = properties.url();
        this.backend = properties;
    }

    void certificate(AuthenticationCertificate policy) {
        this.certificate = policy;
    }

    /** {@code forward-request}: the timeout and redirect handling of the call to the back end. */
    void forwardSettings(ForwardRequest settings) {
        this.forwardSettings = settings;
    }

    /**
     * {@code rewrite-uri}: the template replaces the path after the API's path; {@code {name}} takes the
     * operation's template parameter, else the request's query parameter of that name. With
     * copy-unmatched-params, the request's query parameters follow the template's, as APIM does it: all but those
     * the operation's template matched on and those the template took, even where the template sets one of the
     * same name.
     */
    void rewrite(RewriteUri policy) {
        Map<String, String> pathParameters = route.pathParameters();
        QueryString original = QueryString.parse(query);
        Set<String> used = new HashSet<>(route.templateQuery());
        Matcher m = UrlTemplate.PARAMETER.matcher(policy.template());
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).trim();
            String value = pathParameters.get(name);
            if (value == null) {
                value = original.first(name);
                used.add(name);
            }
            m.appendReplacement(expanded, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(expanded);
        String target = expanded.toString();
        int q = target.indexOf('?');
        String newPath = q < 0 ? target : target.substring(0, q);
        QueryString newQuery = QueryString.parse(q < 0 ? null : target.substring(q + 1));
        if (policy.copyUnmatchedParams()) {
            newQuery = newQuery.withUnmatched(original, used);
        }
        this.path = checked(newPath.isEmpty() || newPath.startsWith("/") ? newPath : "/" + newPath);
        this.query = newQuery.raw();
    }

    /**
     * A rewritten path must be as safe as a routed one: a request parameter put into it must not make a dot
     * segment or an encoded separator (normalise answers its argument itself only when there is none).
     */
    private static String checked(String rewritten) {
        try {
            if (RequestPath.normalise(rewritten) == rewritten) {
                return rewritten;
            }
        } catch (RequestPath.Refused e) {
            // the same answer as below: which form it was matters less than where it came from
        }
        throw new RequestPath.Refused(RequestPath.REWRITTEN);
    }

    String baseUrl() {
        return baseUrl;
    }

    BackendProperties backend() {
        return backend;
    }

    TlsSettings tls() {
        return backend == null ? TlsSettings.DEFAULT : backend.tls();
    }

    String path() {
        return path;
    }

    /** Raw query string, null when none. */
    String query() {
        return query;
    }

    AuthenticationCertificate certificate() {
        return certificate;
    }

    ForwardRequest forwardSettings() {
        return forwardSettings;
    }
}
