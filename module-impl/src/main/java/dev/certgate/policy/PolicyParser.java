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
 * element and reason, never silently ignored. Every such problem of a document is reported, not only the
 * first, so one load lists all that stands between it and being served. A missing section becomes
 * {@code [Base]}.
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

    /** Where a policy starts: the file it is in (a fragment's, once fragments are inlined), line and column from 1. */
    public record Position(String source, int line, int column) {
    }

    private final Map<Policy, Position> positions = new IdentityHashMap<>();
    private final Problems problems = new Problems();
    private final NamedValueSubstitution namedValues;

    private PolicyParser(PolicyContext context) {
        this.namedValues = new NamedValueSubstitution(context, problems);
        problems.keepOut(namedValues::secretsIn);
    }

    /**
     * @param xml    the document text
     * @param source what to call it in errors (a path relative to the home, or "request body")
     * @throws PolicyException for anything not accepted, naming line, column, element and reason of every problem
     */
    public static PolicyDocument parse(String xml, String source) {
        return parseLocated(xml, source).document();
    }

    /** As {@link #parse}, with the position of each policy. */
    public static Located parseLocated(String xml, String source) {
        return parseLocated(xml, source, PolicyContext.EMPTY);
    }

    /**
     * As {@link #parse}, with the position of each policy, the fragments of {@code context} included where the
     * document says, and its named values put in, before any rule is applied (an inclusion or reference that
     * cannot be resolved is one more problem).
     */
    public static Located parseLocated(String xml, String source, PolicyContext context) {
        String name = source == null ? "policy.xml" : source;
        checkSize(xml, name);
        PolicyParser parser = new PolicyParser(context);
        XmlNode read = XmlTreeReader.read(xml, name);
        // Fragments first, so that their text gets the named values too.
        XmlNode inlined = new FragmentInliner(context.fragments(), parser.problems).apply(read);
        XmlNode root = parser.namedValues.apply(inlined);
        PolicyDocument document = parser.document(root);
        parser.problems.throwIfAny();
        return new Located(document, parser.positions);
    }

    /** Refuses a document over {@link #MAX_BYTES} before anything reads it. */
    static void checkSize(String xml, String source) {
        Objects.requireNonNull(xml, "xml");
        // Each char is at least one UTF-8 byte, so a long string is refused without encoding it.
        if (xml.length() > MAX_BYTES || xml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new PolicyException(source, 1, 1, null, "the document is larger than the limit of 256 KiB ("
                    + MAX_BYTES + " bytes)");
        }
    }

    private PolicyDocument document(XmlNode root) {
        if (!root.name().equals(ROOT)) {
            problems.add(root, "the root element must be <policies>, not <" + root.name() + ">");
            return null;
        }
        noAttributes(root);
        noText(root);
        Map<Section, List<Policy>> sections = new EnumMap<>(Section.class);
        for (XmlNode child : root.children()) {
            Optional<Section> section = sectionNamed(child.name());
            if (section.isEmpty()) {
                problems.add(child, "unknown element <" + child.name() + "> in <policies>; expected "
                        + Arrays.stream(Section.values()).map(s -> "<" + s.xmlName() + ">")
                        .collect(Collectors.joining(", ")));
            } else if (sections.containsKey(section.get())) {
                problems.add(child, "<" + section.get().xmlName() + "> may appear only once in <policies>");
            } else {
                sections.put(section.get(), section(child, section.get()));
            }
        }
        List<Policy> inherit = List.of(Base.INSTANCE);
        return new PolicyDocument(sections.getOrDefault(Section.INBOUND, inherit),
                sections.getOrDefault(Section.BACKEND, inherit), sections.getOrDefault(Section.OUTBOUND, inherit),
                sections.getOrDefault(Section.ON_ERROR, inherit));
    }

    /**
     * The problems of a fragment's policies that do not depend on where it is included: unknown policies, and each
     * policy's own rules, checked in a section it may stand in. Where a document includes the fragment, the same
     * problems are found again, with those of the section; this is for a fragment nothing includes yet, whose
     * problems would otherwise wait for its first inclusion. Fragments it includes itself are checked where they
     * are defined.
     */
    public static List<PolicyException.Problem> fragmentProblems(PolicyContext context) {
        List<PolicyException.Problem> found = new ArrayList<>();
        for (PolicyFragment fragment : context.fragments().values()) {
            if (fragment.root() == null) {
                continue; // unreadable: reported when it was read
            }
            PolicyParser parser = new PolicyParser(context);
            XmlNode root = parser.namedValues.apply(fragment.root());
            for (XmlNode child : root.children()) {
                if (!child.name().equals(FragmentInliner.INCLUDE)) {
                    Section section = PolicyKind.byXmlName(child.name()).map(PolicyKind::anySection)
                            .orElse(Section.INBOUND);
                    parser.policy(child, new SectionBuilder(section));
                }
            }
            found.addAll(parser.problems.list());
        }
        return found;
    }

    /** The section's policies; each one with a problem is reported and left out, and the next one is read. */
    private List<Policy> section(XmlNode node, Section section) {
        noAttributes(node);
        noText(node);
        SectionBuilder policies = new SectionBuilder(section);
        for (XmlNode child : node.children()) {
            policy(child, policies);
        }
        return policies.policies();
    }

    /** Reads one policy element into {@code policies}, or reports its problems and leaves it out. */
    private void policy(XmlNode child, SectionBuilder policies) {
        Optional<PolicyKind> kind = PolicyKind.byXmlName(child.name());
        if (kind.isEmpty()) {
            problems.add(child, "unknown policy <" + child.name() + ">; supported: " + PolicyKind.xmlNames());
            expressions(child);
            return;
        }
        try {
            policies.admit(kind.get());
            // Each is reported as itself; the rules, run on such an element, would only report them again.
            if (expressions(child) | namedValues.unresolvedIn(child)) {
                return;
            }
            PolicyElement element = element(child, kind.get());
            if (element == null) {
                return;
            }
            Policy policy = kind.get().readChecked(element);
            if (!(policy instanceof Base)) {
                positions.put(policy, new Position(child.source(), child.position().line(),
                        child.position().column()));
            }
            policies.add(policy);
        } catch (RuleViolation violation) {
            problems.add(violation.at() == null ? child : violation.at(), violation.getMessage());
            expressions(child);
        }
    }

    /** Reports each expression in {@code node}; whether there was any. */
    private boolean expressions(XmlNode node) {
        List<Expressions.Found> found = Expressions.in(node);
        found.forEach(expression -> problems.add(expression.element(), expression.position(), expression.reason()));
        return !found.isEmpty();
    }

    /**
     * The element's plain-text form, after checking its content: only {@code <value>} children, where taken.
     * Null (problems reported) when the content is wrong.
     */
    private PolicyElement element(XmlNode node, PolicyKind kind) {
        boolean valid = noText(node);
        if (kind.takesElements()) {
            return valid ? new PolicyElement(kind.xmlName(), node.attributes(), List.of(), node.children()) : null;
        }
        List<String> values = new ArrayList<>();
        for (XmlNode child : node.children()) {
            if (!kind.takesValues() || !child.name().equals(VALUE)) {
                problems.add(child, "<" + child.name() + "> is not allowed inside <" + kind.xmlName() + ">; "
                        + (kind.takesValues() ? "only <value> is" : "it takes no child elements"));
                valid = false;
            } else {
                String value = value(child);
                valid &= value != null;
                values.add(value);
            }
        }
        return valid ? new PolicyElement(kind.xmlName(), node.attributes(), values, List.of()) : null;
    }

    /** The text of a {@code <value>}, or null (problem reported). */
    private String value(XmlNode node) {
        boolean valid = noAttributes(node);
        if (!node.children().isEmpty()) {
            problems.add(node.children().get(0), "<" + node.children().get(0).name()
                    + "> is not allowed inside <value>; it holds text only");
            return null;
        }
        try {
            // Checked here too, so that an error points at this <value> rather than at its <set-header>.
            String value = PolicyValues.headerValue(node.text());
            return valid ? value : null;
        } catch (RuleViolation violation) {
            problems.add(node, violation.getMessage());
            return null;
        }
    }

    private boolean noAttributes(XmlNode node) {
        if (node.attributes().isEmpty()) {
            return true;
        }
        problems.add(node, "unknown attribute '" + node.attributes().keySet().iterator().next() + "'; <"
                + node.name() + "> takes no attributes");
        return false;
    }

    private boolean noText(XmlNode node) {
        if (node.textPosition() == null) {
            return true;
        }
        problems.add(node, node.textPosition(), "text is not allowed in <" + node.name() + ">: "
                + PolicyValues.quote(PolicyValues.trimXmlWhitespace(node.text()).replaceAll("\\s+", " ")));
        return false;
    }

    private static Optional<Section> sectionNamed(String name) {
        return Arrays.stream(Section.values()).filter(s -> s.xmlName().equals(name)).findFirst();
    }
}
