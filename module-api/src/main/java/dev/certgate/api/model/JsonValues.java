package dev.certgate.api.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deeply unmodifiable copies of plain JSON values (maps, lists, strings, numbers, booleans, null), for the
 * properties a configuration file carries that Certgate keeps as written without using them.
 */
final class JsonValues {
    private JsonValues() {
    }

    /**
     * An unmodifiable copy ordered by name, so that a file written from it is the same whatever order the
     * properties came in; null values are kept (JSON null is a value). Nested objects keep their order.
     */
    static Map<String, Object> frozen(Map<String, ?> properties) {
        if (properties == null || properties.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new TreeMap<>();
        properties.forEach((name, value) -> copy.put(name, frozenValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object frozenValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((name, item) -> copy.put(String.valueOf(name), frozenValue(item)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(frozenValue(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
