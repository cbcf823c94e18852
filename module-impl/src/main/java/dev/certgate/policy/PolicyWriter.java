package dev.certgate.policy;

import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.Section;

import java.util.List;
import java.util.Map;

/**
 * Serialises a {@link PolicyDocument} as readable XML in APIM's layout: four-space indentation,
 * all four sections always present (an empty one as {@code <outbound />}), attributes at their
 * default left out. {@code PolicyParser.parse(write(d))} equals {@code d}: each policy is checked
 * by the parser's own rules before it is written, and a document that could not read back the
 * same (a lower-case thumbprint, a value with leading white space, an expression, a policy in a
 * section it does not belong to) is refused with an {@link IllegalArgumentException}.
 */
public final class PolicyWriter {
    private static final String INDENT = "    ";

    private PolicyWriter() {
    }

    public static String write(PolicyDocument document) {
        StringBuilder out = new StringBuilder("<policies>\n");
        for (Section section : Section.values()) {
            writeSection(out, section, document.section(section));
        }
        return out.append("</policies>\n").toString();
    }

    private static void writeSection(StringBuilder out, Section section, List<Policy> policies) {
        out.append(INDENT).append('<').append(section.xmlName());
        if (policies.isEmpty()) {
            out.append(" />\n");
            return;
        }
        out.append(">\n");
        SectionBuilder rules = new SectionBuilder(section);
        for (Policy policy : policies) {
            writePolicy(out, checked(rules, section, policy));
        }
        out.append(INDENT).append("</").append(section.xmlName()).append(">\n");
    }

    /** The policy's element form, once the parser's rules say it reads back as this very policy. */
    private static PolicyElement checked(SectionBuilder rules, Section section, Policy policy) {
        PolicyKind kind = PolicyKind.of(policy);
        PolicyElement element = kind.toElement(policy);
        Policy readBack;
        try {
            rules.admit(kind);
            readBack = kind.readChecked(element);
        } catch (RuleViolation violation) {
            throw new IllegalArgumentException("cannot write <" + kind.xmlName() + "> in <" + section.xmlName()
                    + ">: " + violation.getMessage());
        }
        if (!readBack.equals(policy)) {
            throw new IllegalArgumentException("cannot write <" + kind.xmlName() + "> in <" + section.xmlName()
                    + ">: it would read back as " + readBack + ", not " + policy
                    + " (values are trimmed; thumbprints are upper-case hex without colons)");
        }
        return element;
    }

    private static void writePolicy(StringBuilder out, PolicyElement element) {
        String indent = INDENT + INDENT;
        out.append(indent).append('<').append(element.name());
        for (Map.Entry<String, String> attribute : element.attributes().entrySet()) {
            out.append(' ').append(attribute.getKey()).append("=\"").append(escape(attribute.getValue())).append('"');
        }
        if (element.values().isEmpty()) {
            out.append(" />\n");
            return;
        }
        out.append(">\n");
        for (String value : element.values()) {
            out.append(indent).append(INDENT).append("<value>").append(escape(value)).append("</value>\n");
        }
        out.append(indent).append("</").append(element.name()).append(">\n");
    }

    /**
     * Escapes for both attribute values (always double-quoted) and text. Values hold no control
     * characters but tab (checked above), and a tab in text is kept by XML parsers as it is.
     */
    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
