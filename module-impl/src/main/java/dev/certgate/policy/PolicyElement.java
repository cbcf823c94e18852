package dev.certgate.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy element as plain text, between XML and the model: its attributes in document order, the texts of its
 * {@code <value>} children, and for a policy made of elements ({@code <cors>}) those elements as read.
 * {@link PolicyKind} turns it into a policy.
 */
record PolicyElement(String name, Map<String, String> attributes, List<String> values, List<XmlNode> elements) {
    PolicyElement {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        values = List.copyOf(values);
        elements = List.copyOf(elements);
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
