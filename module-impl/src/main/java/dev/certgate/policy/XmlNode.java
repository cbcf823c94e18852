package dev.certgate.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a policy document as read, before any policy rule is applied.
 *
 * @param text               all character data directly inside, comments removed
 * @param position           where its {@code <} stands
 * @param textPosition       where the first non-white-space text starts, or null when there is none
 * @param attributePositions where each attribute's value starts (after its quote)
 * @param source             the file it was read from, as errors name it (a fragment's own, once inlined)
 */
record XmlNode(String name, Map<String, String> attributes, List<XmlNode> children, String text,
               SourceText.Position position, SourceText.Position textPosition,
               Map<String, SourceText.Position> attributePositions, String source) {
    XmlNode {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        children = List.copyOf(children);
        attributePositions = Map.copyOf(attributePositions);
    }

    /** Where the value of {@code attribute} starts; the element's own position when unknown. */
    SourceText.Position attributePosition(String attribute) {
        return attributePositions.getOrDefault(attribute, position);
    }

    XmlNode withChildren(List<XmlNode> newChildren) {
        return new XmlNode(name, attributes, newChildren, text, position, textPosition, attributePositions, source);
    }

    XmlNode withContent(Map<String, String> newAttributes, String newText) {
        return new XmlNode(name, newAttributes, children, newText, position, textPosition, attributePositions, source);
    }
}
