package dev.certgate.policy;

import dev.certgate.api.policy.Base;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.Section;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Parses {@code policy.xml} text into a {@link PolicyDocument} (CONTRACT §3), safely and strictly:
 * hostile XML is refused by {@link XmlTreeReader}, and anything not understood — an unknown element
 * or attribute, a policy in the wrong section, an expression — is an error naming line, column,
 * element and reason, never silently ignored. A missing section becomes {@code [Base]}.
 * Whether a named certificate or backend exists is for the configuration loader to check.
 */
public final class PolicyParser {
    public static final int MAX_BYTES = 256 * 1024;
    private static final String ROOT = "policies";
    private static final String VALUE = "value";

    /**
     * A parsed document with where each of its policies starts (line and column from 1, by identity), for the
     * errors found later that concern one policy, such as a certificate it names that does not exist.
     */
    public record Located(PolicyDocument document, Map<Policy, Position> positions) {
        public Located {
            positions = Collections.unmodifiableMap(new IdentityHashMap<>(positions));
        }

        /** Where {@code policy}, one of the document's own instances, starts; null for {@code <base />} (shared). */
        public Position positionOf(Policy policy) {
            return positions.get(policy);
        }
    }

    /** A line and column, both counted from 1. */
    public record Position(int line, int column) {
    }

    private final String source;
    private final Map<Policy, Position> positions = new IdentityHashMap<>();

    private PolicyParser(String source) {
        this.source = source;
    }

    /**
     * @param xml    the document text
     * @param source what to call it in errors (a path relative to the home, or "request body")
     * @throws PolicyException for anything not accepted, naming line, column, element and reason
     */
    public static PolicyDocument parse(String xml, String source) {
        return parseLocated(xml, source).document();
    }

    /** As {@link #parse}, with the position of each policy. */
    public static Located parseLocated(String xml, String source) {
        Objects.requireNonNull(xml, "xml");
        String name = source == null ? "policy.xml" : source;
        // Each char is at least one UTF-8 byte, so a long string is refused without encoding it.
        if (xml.length() > MAX_BYTES || xml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new PolicyException(name, 1, 1, null, "the document is larger than the limit of 256 KiB ("
                    + MAX_BYTES + " bytes)");
        }
        PolicyParser parser = new PolicyParser(name);
        PolicyDocument document = parser.document(XmlTreeReader.read(xml, name));
        return new Located(document, parser.positions);
    }

    private PolicyDocument document(XmlNode root) {
        if (!root.name().equals(ROOT)) {
            throw error(root, "the root element must be <policies>, not <" + root.name() + ">");
        }
        noAttributes(root);
        noText(root);
        Map<Section, List<Policy>> sections = new EnumMap<>(Section.class);
        for (XmlNode child : root.children()) {
            Section section = sectionNamed(child.name()).orElseThrow(() -> error(child, "unknown element <"
                    + child.name() + "> in <policies>; expected " + Arrays.stream(Section.values())
                    .map(s -> "<" + s.xmlName() + ">").collect(Collectors.joining(", "))));
            if (sections.containsKey(section)) {
                throw error(child, "<" + section.xmlName() + "> may appear only once in <policies>");
            }
            sections.put(section, section(child, section));
        }
        List<Policy> inherit = List.of(Base.INSTANCE);
        return new PolicyDocument(sections.getOrDefault(Section.INBOUND, inherit),
                sections.getOrDefault(Section.BACKEND, inherit), sections.getOrDefault(Section.OUTBOUND, inherit),
                sections.getOrDefault(Section.ON_ERROR, inherit));
    }

    private List<Policy> section(XmlNode node, Section section) {
        noAttributes(node);
        noText(node);
        SectionBuilder policies = new SectionBuilder(section);
        for (XmlNode child : node.children()) {
            PolicyKind kind = PolicyKind.byXmlName(child.name()).orElseThrow(() -> error(child, "unknown policy <"
                    + child.name() + ">; supported: " + PolicyKind.xmlNames()));
            List<Expressions.Found> expressions = Expressions.in(child);
            if (!expressions.isEmpty()) {
                Expressions.Found first = expressions.get(0);
                throw new PolicyException(source, first.position().line(), first.position().column(),
                        first.element().name(), first.reason());
            }
            try {
                policies.admit(kind);
                Policy policy = kind.readChecked(element(child, kind));
                if (!(policy instanceof Base)) {
                    positions.put(policy, new Position(child.position().line(), child.position().column()));
                }
                policies.add(policy);
            } catch (RuleViolation violation) {
                throw error(child, violation.getMessage());
            }
        }
        return policies.policies();
    }

    /** The element's plain-text form, after checking its content: only {@code <value>} children, where taken. */
    private PolicyElement element(XmlNode node, PolicyKind kind) {
        noText(node);
        List<String> values = new ArrayList<>();
        for (XmlNode child : node.children()) {
            if (!kind.takesValues() || !child.name().equals(VALUE)) {
                throw error(child, "<" + child.name() + "> is not allowed inside <" + kind.xmlName() + ">; "
                        + (kind.takesValues() ? "only <value> is" : "it takes no child elements"));
            }
            values.add(value(child));
        }
        return new PolicyElement(kind.xmlName(), node.attributes(), values);
    }

    private String value(XmlNode node) {
        noAttributes(node);
        if (!node.children().isEmpty()) {
            throw error(node.children().get(0), "<" + node.children().get(0).name()
                    + "> is not allowed inside <value>; it holds text only");
        }
        try {
            // Checked here too, so that an error points at this <value> rather than at its <set-header>.
            return PolicyValues.headerValue(node.text());
        } catch (RuleViolation violation) {
            throw error(node, violation.getMessage());
        }
    }

    private void noAttributes(XmlNode node) {
        if (!node.attributes().isEmpty()) {
            throw error(node, "unknown attribute '" + node.attributes().keySet().iterator().next() + "'; <"
                    + node.name() + "> takes no attributes");
        }
    }

    private void noText(XmlNode node) {
        if (node.textPosition() != null) {
            throw new PolicyException(source, node.textPosition().line(), node.textPosition().column(), node.name(),
                    "text is not allowed in <" + node.name() + ">: "
                            + PolicyValues.quote(PolicyValues.trimXmlWhitespace(node.text()).replaceAll("\\s+", " ")));
        }
    }

    private PolicyException error(XmlNode node, String reason) {
        return new PolicyException(source, node.position().line(), node.position().column(), node.name(), reason);
    }

    private static Optional<Section> sectionNamed(String name) {
        return Arrays.stream(Section.values()).filter(s -> s.xmlName().equals(name)).findFirst();
    }
}
