package dev.certgate.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of secret named values, and how to keep them out of text meant for people: a message, a log line, a
 * URL shown by the admin API. Each value is written as its reference {@code {{name}}}, in any case and also as a
 * thumbprint without colons. Once a value is put into a back end's URL, a header or a certificate reference, what
 * reports on that (a failure naming the host it could not reach, say) would otherwise quote it. Immutable.
 */
public final class SecretValues {
    public static final SecretValues NONE = new SecretValues(List.of());

    /** One form of a value (lower case), how it is found in any case, and what it is written as. */
    private record Secret(String form, Pattern pattern, String reference) {
        static Secret of(String form, String name) {
            return new Secret(form.toLowerCase(Locale.ROOT), Pattern.compile(Pattern.quote(form),
                    Pattern.CASE_INSENSITIVE), Matcher.quoteReplacement("{{" + name + "}}"));
        }
    }

    /** Longest form first, so that no value hides inside another that is replaced before it. */
    private final List<Secret> secrets;

    private SecretValues(List<Secret> secrets) {
        this.secrets = secrets;
    }

    /** @param valuesByName each secret named value's value, by its display name */
    public static SecretValues of(Map<String, String> valuesByName) {
        List<Secret> secrets = new ArrayList<>();
        valuesByName.forEach((name, value) -> {
            if (value != null) {
                for (String form : List.of(value, value.replace(":", ""))) {
                    if (!form.isEmpty()) {
                        secrets.add(Secret.of(form, name));
                    }
                }
            }
        });
        return of(secrets);
    }

    private static SecretValues of(List<Secret> secrets) {
        Map<String, Secret> byForm = new LinkedHashMap<>();
        secrets.forEach(secret -> byForm.putIfAbsent(secret.form(), secret));
        if (byForm.isEmpty()) {
            return NONE;
        }
        return new SecretValues(byForm.values().stream()
                .sorted(Comparator.comparingInt((Secret secret) -> secret.form().length()).reversed()).toList());
    }

    /** {@code text} with every secret value written as its reference; null stays null. */
    public String keepOut(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (Secret secret : secrets) {
            result = secret.pattern().matcher(result).replaceAll(secret.reference());
        }
        return result;
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** These values and {@code other}'s, as for a configuration that keeps parts of the one before it. */
    public SecretValues and(SecretValues other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<Secret> both = new ArrayList<>(secrets);
        both.addAll(other.secrets);
        return of(both);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretValues values && forms().equals(values.forms());
    }

    @Override
    public int hashCode() {
        return forms().hashCode();
    }

    private Map<String, String> forms() {
        Map<String, String> forms = new LinkedHashMap<>();
        secrets.forEach(secret -> forms.put(secret.form(), secret.reference()));
        return forms;
    }

    /** Never the values. */
    @Override
    public String toString() {
        return "SecretValues[" + secrets.size() + " forms]";
    }
}
