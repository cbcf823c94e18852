package dev.certgate.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts named values into a document's attribute values and texts before any rule looks at them, as APIM does. A
 * reference that cannot be replaced (not defined, no value yet) is reported where it stands, and its element is
 * remembered, so the rules do not report the left-over {@code {{name}}} a second time.
 */
final class NamedValueSubstitution {
    private final PolicyContext context;
    private final Problems problems;
    private final Set<XmlNode> unresolved = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The secret values put into each element (by display name), to keep them out of errors about it. */
    private final Map<XmlNode, Map<String, String>> secrets = new IdentityHashMap<>();

    NamedValueSubstitution(PolicyContext context, Problems problems) {
        this.context = context;
        this.problems = problems;
    }

    /** The tree with every reference that can be replaced replaced. */
    XmlNode apply(XmlNode node) {
        List<XmlNode> children = new ArrayList<>(node.children().size());
        node.children().forEach(child -> children.add(apply(child)));
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, String> secretsPutIn = new HashMap<>();
        boolean complete = true;
        for (Map.Entry<String, String> attribute : node.attributes().entrySet()) {
            PolicyContext.Replacement replacement = replace(node, attribute.getValue(),
                    node.attributePosition(attribute.getKey()), 0);
            attributes.put(attribute.getKey(), replacement.text());
            secretsPutIn.putAll(replacement.secretsByName());
            complete &= replacement.complete();
        }
        String text = node.text();
        if (node.textPosition() != null) {
            PolicyContext.Replacement replacement = replace(node, text, node.textPosition(),
                    PolicyValues.leadingXmlWhitespace(text));
            text = replacement.text();
            secretsPutIn.putAll(replacement.secretsByName());
            complete &= replacement.complete();
        }
        XmlNode result = node.withContent(attributes, text).withChildren(children);
        if (!complete) {
            unresolved.add(result);
        }
        if (!secretsPutIn.isEmpty()) {
            secrets.put(result, secretsPutIn);
        }
        return result;
    }

    /** Whether {@code node} or an element inside it holds a reference that could not be replaced. */
    boolean unresolvedIn(XmlNode node) {
        return unresolved.contains(node) || node.children().stream().anyMatch(this::unresolvedIn);
    }

    /** The values of the secret named values put into {@code node} and the elements inside it, by display name. */
    Map<String, String> secretsIn(XmlNode node) {
        Map<String, String> found = new HashMap<>(secrets.getOrDefault(node, Map.of()));
        node.children().forEach(child -> found.putAll(secretsIn(child)));
        return found;
    }

    /**
     * {@code value} replaced; each reference that cannot be is reported at {@code start} (where the value's first
     * character after {@code skipped} ones stands) advanced to it.
     */
    private PolicyContext.Replacement replace(XmlNode node, String value, SourceText.Position start, int skipped) {
        PolicyContext.Replacement replacement = context.replace(value);
        for (PolicyContext.Unresolved reference : replacement.unresolved()) {
            problems.add(node, start.advance(value.substring(skipped), reference.offset() - skipped),
                    reference.reason());
        }
        return replacement;
    }
}
