package dev.certgate.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a policy document as read, before any policy rule is applied.
 *
 * @param text         all character data directly inside, comments removed
 * @param textPosition where the first non-white-space text starts, or null when there is none
 */
record XmlNode(String name, Map<String, String> attributes, List<XmlNode> children, String text,
               SourceText.Position position, SourceText.Position textPosition) {
    XmlNode {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        children = List.copyOf(children);
    }
}
