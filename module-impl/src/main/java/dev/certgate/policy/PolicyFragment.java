package dev.certgate.policy;

/**
 * A policy fragment ({@code config/policy fragments/<id>/policy.xml}): a {@code <fragment>} element whose children
 * are policies, put where a document says {@code <include-fragment fragment-id="<id>" />}, in any section. Read
 * once per load, by the same secure parser as every policy document; what its policies are worth is checked where
 * they are included, since that decides the section they stand in.
 */
public final class PolicyFragment {
    private static final String ROOT = "fragment";

    private final String id;
    private final String source;
    private final XmlNode root;

    private PolicyFragment(String id, String source, XmlNode root) {
        this.id = id;
        this.source = source;
        this.root = root;
    }

    /**
     * @param source what to call the file in errors (a path relative to the home)
     * @throws PolicyException when it is not a well-formed {@code <fragment>} document, naming every problem
     */
    public static PolicyFragment read(String id, String xml, String source) {
        PolicyParser.checkSize(xml, source);
        XmlNode root = XmlTreeReader.read(xml, source);
        Problems problems = new Problems();
        if (!root.name().equals(ROOT)) {
            problems.add(root, "the root element of a policy fragment must be <fragment>, not <" + root.name() + ">");
        } else if (!root.attributes().isEmpty()) {
            problems.add(root, "unknown attribute '" + root.attributes().keySet().iterator().next()
                    + "'; <fragment> takes no attributes");
        }
        if (root.textPosition() != null) {
            problems.add(root, root.textPosition(), "text is not allowed in <" + root.name() + ">");
        }
        problems.throwIfAny();
        return new PolicyFragment(id, source, root);
    }

    /** A fragment whose file could not be read: including it is an error that points there. */
    static PolicyFragment unreadable(String id, String source) {
        return new PolicyFragment(id, source, null);
    }

    public String id() {
        return id;
    }

    String source() {
        return source;
    }

    /** The {@code <fragment>} element; null when the file could not be read. */
    XmlNode root() {
        return root;
    }
}
