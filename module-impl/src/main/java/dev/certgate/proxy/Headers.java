package dev.certgate.proxy;

import dev.certgate.api.policy.SetHeader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/** A mutable, ordered, case-insensitive set of header fields, as {@code set-header} edits them. */
final class Headers {
    private record Field(String name, List<String> values) {
    }

    private final Map<String, Field> fields = new LinkedHashMap<>();

    /** Adds one value, keeping the first spelling of the name. */
    void add(String name, String value) {
        fields.computeIfAbsent(key(name), k -> new Field(name, new ArrayList<>(1))).values().add(value);
    }

    void set(String name, List<String> values) {
        fields.put(key(name), new Field(name, new ArrayList<>(values)));
    }

    void remove(String name) {
        fields.remove(key(name));
    }

    boolean contains(String name) {
        return fields.containsKey(key(name));
    }

    List<String> values(String name) {
        Field field = fields.get(key(name));
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
            case OVERRIDE -> set(policy.name(), policy.values());
            case SKIP -> {
                if (!contains(policy.name())) {
                    set(policy.name(), policy.values());
                }
            }
            case APPEND -> policy.values().forEach(value -> add(policy.name(), value));
            case DELETE -> remove(policy.name());
        }
    }

    /** Each field once, with all its values in order. */
    void forEachField(BiConsumer<String, List<String>> action) {
        for (Field field : fields.values()) {
            action.accept(field.name(), field.values());
        }
    }

    void forEach(BiConsumer<String, String> action) {
        for (Field field : fields.values()) {
            for (String value : field.values()) {
                action.accept(field.name(), value);
            }
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
