package dev.certgate.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What policy documents may refer to beyond themselves: the named values ({@code {{displayName}}}) and the policy
 * fragments ({@code <include-fragment fragment-id="…" />}). Built by the configuration loader from the home,
 * immutable.
 */
public final class PolicyContext {
    /** No named values, no fragments. */
    public static final PolicyContext EMPTY = builder().build();

    /** APIM's display names: letters, digits, '.', '-' and '_'; matched without regard to case. */
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{([A-Za-z0-9._-]+)}}");

    /** A named value as policies see it: its value, or (value null) why it has none. */
    private record NamedValue(String displayName, String value, boolean secret, String unavailable) {
    }

    /** A reference that could not be replaced: where it starts in the text, and why. */
    public record Unresolved(int offset, String reason) {
    }

    /**
     * {@code {{name}}} replaced: the text (references that could not be replaced left as they were), those, and the
     * values of secret named values put in, so that errors about the result can keep them out of their messages.
     */
    public record Replacement(String text, List<Unresolved> unresolved, Map<String, String> secretsByName) {
        public boolean complete() {
            return unresolved.isEmpty();
        }
    }

    private final Map<String, NamedValue> namedValues;
    private final Map<String, PolicyFragment> fragments;
    private final SecretValues secrets;

    private PolicyContext(Map<String, NamedValue> namedValues, Map<String, PolicyFragment> fragments) {
        this.namedValues = Map.copyOf(namedValues);
        this.fragments = Map.copyOf(fragments);
        Map<String, String> secretValues = new HashMap<>();
        namedValues.values().stream().filter(named -> named.secret() && named.value() != null)
                .forEach(named -> secretValues.put(named.displayName(), named.value()));
        this.secrets = SecretValues.of(secretValues);
    }

    /** The fragments by id. */
    Map<String, PolicyFragment> fragments() {
        return fragments;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Replaces every {@code {{name}}} of {@code text}, as APIM does before it reads a value. */
    public Replacement replace(String text) {
        if (text == null || !text.contains("{{")) {
            return new Replacement(text, List.of(), Map.of());
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder result = new StringBuilder();
        List<Unresolved> unresolved = new ArrayList<>();
        Map<String, String> secretsPutIn = new HashMap<>();
        while (m.find()) {
            String name = m.group(1);
            NamedValue named = namedValues.get(key(name));
            if (named == null) {
                unresolved.add(new Unresolved(m.start(), "named value '" + name + "' is not defined: no named value"
                        + " in config/named values has displayName '" + name + "'"));
                m.appendReplacement(result, Matcher.quoteReplacement(m.group()));
            } else if (named.value() == null) {
                unresolved.add(new Unresolved(m.start(), "named value '" + named.displayName() + "' "
                        + named.unavailable()));
                m.appendReplacement(result, Matcher.quoteReplacement(m.group()));
            } else {
                if (named.secret()) {
                    secretsPutIn.put(named.displayName(), named.value());
                }
                m.appendReplacement(result, Matcher.quoteReplacement(named.value()));
            }
        }
        m.appendTail(result);
        return new Replacement(result.toString(), unresolved, secretsPutIn);
    }

    /**
     * The secret named values' values, to keep out of messages about values put in (a certificate-id checked
     * against the store later) and of what reports on a request made with them.
     */
    public SecretValues secrets() {
        return secrets;
    }

    private static String key(String displayName) {
        return displayName.toLowerCase(Locale.ROOT);
    }

    public static final class Builder {
        private final Map<String, NamedValue> namedValues = new HashMap<>();
        private final Map<String, PolicyFragment> fragments = new HashMap<>();

        private Builder() {
        }

        /** A named value with its value; {@code secret} ones are kept out of error messages. */
        public Builder value(String displayName, String value, boolean secret) {
            namedValues.put(key(displayName), new NamedValue(displayName, value, secret, null));
            return this;
        }

        /**
         * A named value without a usable value; a reference to it is an error that reads
         * "named value 'name' " + {@code reason}, such as "needs a value: …".
         */
        public Builder unavailable(String displayName, String reason) {
            namedValues.put(key(displayName), new NamedValue(displayName, null, false, reason));
            return this;
        }

        /** Whether a named value of this display name (in any case) is already there. */
        public boolean has(String displayName) {
            return namedValues.containsKey(key(displayName));
        }

        public Builder fragment(PolicyFragment fragment) {
            fragments.put(fragment.id(), fragment);
            return this;
        }

        /** A fragment whose file has errors of its own: including it is one more, pointing there. */
        public Builder unreadableFragment(String id, String source) {
            return fragment(PolicyFragment.unreadable(id, source));
        }

        public PolicyContext build() {
            return new PolicyContext(namedValues, fragments);
        }
    }
}
