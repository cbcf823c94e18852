package dev.certgate.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An operation's {@code urlTemplate} such as {@code /orders/{id}}, matched against the part of the path
 * after the API's path. A {@code {param}} matches one non-empty segment (or part of one); APIM's catch-all
 * {@code {*param}}, the last segment, matches the rest of the path, slashes included, and may be empty; a final
 * {@code /*} matches anything below; a trailing slash is optional. As in APIM, the parameters of a query part are
 * required: {@code ?name={name}} matches a request that has {@code name} and captures its value (raw), {@code ?v=2}
 * one whose {@code v} is {@code 2}.
 */
final class UrlTemplate {
    static final Pattern PARAMETER = Pattern.compile("\\{([^{}/?]+)}");

    /**
     * A query parameter the template requires, as APIM treats a template's query: {@code name={param}} captures the
     * value as {@code param}, {@code name=value} must be that value.
     */
    private record QueryRequirement(String name, String parameter, String value) {
    }

    private final Pattern pattern;
    private final List<String> names;
    private final int literalLength;
    private final List<QueryRequirement> query;
    private final Set<String> queryNames;

    private UrlTemplate(Pattern pattern, List<String> names, int literalLength, List<QueryRequirement> query) {
        this.pattern = pattern;
        this.names = names;
        this.literalLength = literalLength;
        this.query = query;
        this.queryNames = query.stream().map(QueryRequirement::name).collect(Collectors.toUnmodifiableSet());
    }

    static UrlTemplate compile(String template) {
        String path = template == null ? "/" : template;
        List<QueryRequirement> query = new ArrayList<>();
        int questionMark = path.indexOf('?');
        if (questionMark >= 0) {
            for (String pair : path.substring(questionMark + 1).split("&")) {
                int eq = pair.indexOf('=');
                String name = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
                Matcher parameter = PARAMETER.matcher(value);
                if (!name.isEmpty()) {
                    query.add(parameter.matches() ? new QueryRequirement(name, parameter.group(1).trim(), null)
                            : new QueryRequirement(name, null, value));
                }
            }
            path = path.substring(0, questionMark);
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        boolean wildcard = path.endsWith("/*");
        if (wildcard) {
            path = path.substring(0, path.length() - 2);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        int literal = 0;
        int last = 0;
        Matcher m = PARAMETER.matcher(path);
        while (m.find()) {
            String name = m.group(1).trim();
            boolean catchAll = name.startsWith("*");
            regex.append(Pattern.quote(path.substring(last, m.start()))).append(catchAll ? "(.*)" : "([^/]+)");
            literal += m.start() - last;
            names.add(catchAll ? name.substring(1).trim() : name);
            last = m.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        literal += path.length() - last;
        regex.append(wildcard ? "(?:/.*)?" : "/?");
        return new UrlTemplate(Pattern.compile(regex.toString()), List.copyOf(names), literal, List.copyOf(query));
    }

    /**
     * The parameters (raw, as in the request) if {@code path} matches and {@code given} has every parameter the
     * template's query names (with its value, where the template gives one), else null. {@code given} is read only
     * when {@link #readsQuery()}.
     */
    Map<String, String> match(String path, QueryString given) {
        Matcher m = pattern.matcher(path.isEmpty() ? "/" : path);
        if (!m.matches()) {
            return null;
        }
        if (names.isEmpty() && query.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), m.group(i + 1));
        }
        if (!query.isEmpty()) {
            for (QueryRequirement required : query) {
                String value = given.first(required.name());
                if (value == null || required.value() != null && !required.value().equals(value)) {
                    return null;
                }
                if (required.parameter() != null) {
                    values.putIfAbsent(required.parameter(), value);
                }
            }
        }
        return values;
    }

    /** The names of the query parameters the template requires: what rewrite-uri's copy-unmatched-params leaves out. */
    Set<String> queryNames() {
        return queryNames;
    }

    /** Whether matching reads the request's query: the template has a query part. */
    boolean readsQuery() {
        return !query.isEmpty();
    }

    /** How many query parameters the template requires: among equal paths, the template asking more wins. */
    int queryRequirements() {
        return query.size();
    }

    /** How specific the template is: more literal characters win over parameters ({@code /orders/new} over {@code /orders/{id}}). */
    int literalLength() {
        return literalLength;
    }
}
