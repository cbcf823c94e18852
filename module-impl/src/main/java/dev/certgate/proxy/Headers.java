package dev.certgate.proxy;

import dev.certgate.api.policy.SetHeader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A mutable, ordered, case-insensitive set of header fields, as {@code set-header} edits them. Every proxied
 * request and answer goes through one, so a name is found by comparing in place among the usual handful of fields;
 * an index by lower-case name is kept only past {@value #INDEX_FROM} of them, so that many fields cost no more than
 * a lookup each.
 */
final class Headers {
    private static final int INDEX_FROM = 16;

    private record Field(String name, List<String> values) {
    }

    private final List<Field> fields = new ArrayList<>();
    private Map<String, Field> index;

    /** Adds one value, keeping the first spelling of the name. */
    void add(String name, String value) {
        Field field = find(name);
        if (field == null) {
            field = new Field(name, new ArrayList<>(1));
            append(field);
        }
        field.values().add(value);
    }

    void set(String name, List<String> values) {
        Field field = new Field(name, new ArrayList<>(values));
        int at = position(name);
        if (at < 0) {
            append(field);
            return;
        }
        // Replaced where it stands, as a map keeps the first insertion's place.
        fields.set(at, field);
        if (index != null) {
            index.put(key(name), field);
        }
    }

    void remove(String name) {
        int at = position(name);
        if (at >= 0) {
            fields.remove(at);
            if (index != null) {
                index.remove(key(name));
            }
        }
    }

    boolean contains(String name) {
        return find(name) != null;
    }

    List<String> values(String name) {
        Field field = find(name);
        return field == null ? List.of() : List.copyOf(field.values());
    }

    /** Appends {@code value} to a comma-separated list, as the X-Forwarded-* headers grow along a chain of proxies. */
    void appendToList(String name, String value) {
        List<String> current = values(name);
        if (current.isEmpty()) {
            set(name, List.of(value));
        } else {
            set(name, List.of(String.join(", ", current) + ", " + value));
        }
    }

    /** {@code set-header}: override (default), skip when present, append values, or delete. */
    void apply(SetHeader policy) {
        switch (policy.existsAction()) {
            case OVERRIDE -> setText(policy.name(), policy.values());
            case SKIP -> {
                if (!contains(policy.name())) {
                    setText(policy.name(), policy.values());
                }
            }
            case APPEND -> policy.values().forEach(value -> add(policy.name(), wire(value)));
            case DELETE -> remove(policy.name());
        }
    }

    /** Sets values written as text in the configuration (a policy, a backend's credentials): sent as UTF-8. */
    void setText(String name, List<String> values) {
        set(name, values.stream().map(Headers::wire).toList());
    }

    /**
     * A configured value as the field carries it. Fields hold bytes as ISO-8859-1 characters (as the caller's values
     * arrive, and as HttpCore and the container write them), so text beyond ASCII is encoded as UTF-8 first; left as
     * it was, each character past U+00FF went out as '?'.
     */
    static String wire(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7F) {
                return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return value;
    }

    /** Each field once, with all its values in order. */
    void forEachField(BiConsumer<String, List<String>> action) {
        for (Field field : fields) {
            action.accept(field.name(), field.values());
        }
    }

    void forEach(BiConsumer<String, String> action) {
        for (Field field : fields) {
            for (String value : field.values()) {
                action.accept(field.name(), value);
            }
        }
    }

    private Field find(String name) {
        if (index != null) {
            return index.get(key(name));
        }
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return field;
            }
        }
        return null;
    }

    /** Where the field stands; only set-header's replace and delete ask, so a scan does. */
    private int position(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private void append(Field field) {
        fields.add(field);
        if (index != null) {
            index.put(key(field.name()), field);
        } else if (fields.size() > INDEX_FROM) {
            index = new HashMap<>();
            for (Field each : fields) {
                index.put(key(each.name()), each);
            }
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
