package dev.certgate.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A raw query string as ordered name/value pairs, kept encoded as received so nothing is re-encoded. */
final class QueryString {
    private record Parameter(String name, String raw) {
    }

    private static final QueryString EMPTY = new QueryString(List.of());

    private final List<Parameter> parameters;

    private QueryString(List<Parameter> parameters) {
        this.parameters = parameters;
    }

    static QueryString parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        List<Parameter> parameters = new ArrayList<>();
        for (String pair : raw.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                parameters.add(new Parameter(eq < 0 ? pair : pair.substring(0, eq), pair));
            }
        }
        return new QueryString(List.copyOf(parameters));
    }

    /** The raw value of the first parameter called {@code name}; null if absent. */
    String first(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                int eq = p.raw().indexOf('=');
                return eq < 0 ? "" : p.raw().substring(eq + 1);
            }
        }
        return null;
    }

    /** This query plus the parameters of {@code original} whose names are not {@code used}. */
    QueryString withUnmatched(QueryString original, Set<String> used) {
        List<Parameter> merged = new ArrayList<>(parameters);
        for (Parameter p : original.parameters) {
            if (!used.contains(p.name())) {
                merged.add(p);
            }
        }
        return new QueryString(List.copyOf(merged));
    }

    /** The raw query, or null when there are no parameters. */
    String raw() {
        if (parameters.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Parameter p : parameters) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(p.raw());
        }
        return out.toString();
    }
}
