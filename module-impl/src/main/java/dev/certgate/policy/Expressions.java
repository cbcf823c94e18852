package dev.certgate.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds APIM's C# policy expressions ({@code @(...)}, {@code @{...}}): an attribute value or a text that starts
 * with one, white space aside. Certgate does not evaluate them, so each one found is reported where it starts.
 */
final class Expressions {
    /** One expression: the element holding it and where it starts. */
    record Found(XmlNode element, SourceText.Position position) {
        String reason() {
            return "policy expression (line " + position.line() + ", column " + position.column() + "): not supported";
        }
    }

    private Expressions() {
    }

    static boolean isExpression(String value) {
        String trimmed = PolicyValues.trimXmlWhitespace(value);
        return trimmed.startsWith("@(") || trimmed.startsWith("@{");
    }

    /** Every expression in {@code node} and the elements inside it, in document order. */
    static List<Found> in(XmlNode node) {
        List<Found> found = new ArrayList<>();
        collect(node, found);
        return found;
    }

    private static void collect(XmlNode node, List<Found> found) {
        for (Map.Entry<String, String> attribute : node.attributes().entrySet()) {
            String value = attribute.getValue();
            if (isExpression(value)) {
                found.add(new Found(node, node.attributePosition(attribute.getKey())
                        .advance(value, PolicyValues.leadingXmlWhitespace(value))));
            }
        }
        if (node.textPosition() != null && isExpression(node.text())) {
            found.add(new Found(node, node.textPosition()));
        }
        node.children().forEach(child -> collect(child, found));
    }
}
