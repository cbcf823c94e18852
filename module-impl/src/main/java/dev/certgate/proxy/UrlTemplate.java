package dev.certgate.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An operation's {@code urlTemplate} such as {@code /orders/{id}}, matched against the part of the path
 * after the API's path. A {@code {param}} matches one non-empty segment (or part of one); APIM's catch-all
 * {@code {*param}}, the last segment, matches the rest of the path, slashes included, and may be empty; a final
 * {@code /*} matches anything below; a trailing slash is optional; a query part is ignored for matching.
 */
final class UrlTemplate {
    static final Pattern PARAMETER = Pattern.compile("\\{([^{}/?]+)}");

    private final Pattern pattern;
    private final List<String> names;
    private final int literalLength;

    private UrlTemplate(Pattern pattern, List<String> names, int literalLength) {
        this.pattern = pattern;
        this.names = names;
        this.literalLength = literalLength;
    }

    static UrlTemplate compile(String template) {
        String path = template == null ? "/" : template;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
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
        return new UrlTemplate(Pattern.compile(regex.toString()), List.copyOf(names), literal);
    }

    /** The parameters (raw, as in the request) if {@code path} matches, else null. */
    Map<String, String> match(String path) {
        Matcher m = pattern.matcher(path.isEmpty() ? "/" : path);
        if (!m.matches()) {
            return null;
        }
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), m.group(i + 1));
        }
        return values;
    }

    /** How specific the template is: more literal characters win over parameters ({@code /orders/new} over {@code /orders/{id}}). */
    int literalLength() {
        return literalLength;
    }
}
