package dev.certgate.config;

import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.http.HttpUrls;
import dev.certgate.policy.PolicyContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts named values into a backend's {@code url}, {@code credentials.header} and {@code credentials.query}, as APIM
 * does, before the backend is checked and used: nothing reaches a back end as a literal {@code {{name}}}. A
 * reference that cannot be replaced is an error at its place in the file; values are never quoted in errors (a
 * secret named value may be among them).
 */
final class BackendNamedValues {
    private final PolicyContext context;
    private final String source;
    private final JsonPositions positions;
    private final List<ConfigError> errors;
    private boolean failed;

    private BackendNamedValues(PolicyContext context, String source, JsonPositions positions,
                               List<ConfigError> errors) {
        this.context = context;
        this.source = source;
        this.positions = positions;
        this.errors = errors;
    }

    /** The backend with its named values put in, or null (errors added) when one cannot be. */
    static BackendProperties resolve(BackendProperties backend, PolicyContext context, String source,
                                     JsonPositions positions, List<ConfigError> errors) {
        BackendNamedValues resolver = new BackendNamedValues(context, source, positions, errors);
        BackendCredentials credentials = backend.credentials();
        String url = resolver.text(backend.url(), "properties", "url");
        if (resolver.secretIn(backend.url()) && !HttpUrls.isHttpUrl(url)) {
            // The loader's own check would quote the URL, secret and all.
            resolver.fail("properties.url is not an absolute http or https URL once its secret named value is put"
                    + " in (not shown)", "properties", "url");
        }
        Map<String, List<String>> header = new LinkedHashMap<>();
        credentials.header().forEach((name, values) -> {
            List<String> resolved = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                resolved.add(resolver.text(values.get(i), "properties", "credentials", "header", name, i));
            }
            header.put(resolver.text(name, "properties", "credentials", "header", name), resolved);
        });
        Map<String, Object> credentialsUnused = new LinkedHashMap<>(credentials.unused());
        if (credentialsUnused.get("query") instanceof Map<?, ?> query) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            query.forEach((name, values) -> resolved.put(String.valueOf(name),
                    resolver.json(values, "properties", "credentials", "query", String.valueOf(name))));
            credentialsUnused.put("query", resolved);
        }
        if (resolver.failed) {
            return null;
        }
        return new BackendProperties(url, backend.protocol(), new BackendCredentials(credentials.certificateIds(),
                credentials.certificate(), header, credentialsUnused), backend.tls(), backend.description(),
                backend.unused());
    }

    private String text(String value, Object... path) {
        if (value == null || !value.contains("{{")) {
            return value;
        }
        PolicyContext.Replacement replacement = context.replace(value);
        String field = field(path);
        replacement.unresolved().forEach(reference -> fail(field + ": " + reference.reason(), path));
        // A named value's own value never holds "{{" (NamedValuesLoader), so what is left is the file's own text.
        if (replacement.complete() && replacement.text().contains("{{")) {
            fail(field + ": {{...}} is not a named value reference (a name has letters, digits, '.', '-' and '_'"
                    + " only)", path);
        }
        return replacement.text();
    }

    private boolean secretIn(String value) {
        return value != null && !context.replace(value).secretsByName().isEmpty();
    }

    /** A JSON value of {@code credentials.query}: its strings have their named values put in. */
    private Object json(Object value, Object... path) {
        if (value instanceof String text) {
            return text(text, path);
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Object[] itemPath = Arrays.copyOf(path, path.length + 1);
                itemPath[path.length] = i;
                resolved.add(json(list.get(i), itemPath));
            }
            return resolved;
        }
        return value;
    }

    private void fail(String message, Object... path) {
        failed = true;
        errors.add(positions.error(source, message, path));
    }

    /** {@code properties.credentials.header.X-Key[0]}, the way a person reads the file. */
    private static String field(Object... path) {
        StringBuilder field = new StringBuilder();
        for (Object part : path) {
            if (part instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                field.append(field.length() == 0 ? "" : ".").append(part);
            }
        }
        return field.toString();
    }
}
