package dev.certgate.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy element as plain text, between XML and the model: its attributes in document order and
 * the texts of its {@code <value>} children. {@link PolicyKind} turns it into a policy.
 */
record PolicyElement(String name, Map<String, String> attributes, List<String> values) {
    PolicyElement {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        values = List.copyOf(values);
    }

    /** The attribute's raw value, or throws naming it as required. */
    String required(String attribute) {
        String value = attributes.get(attribute);
        if (value == null) {
            throw new RuleViolation("attribute '" + attribute + "' is required");
        }
        return value;
    }

    /** The attribute's raw value, or null when absent. */
    String optional(String attribute) {
        return attributes.get(attribute);
    }
}
