package dev.certgate.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts each {@code <include-fragment fragment-id="…" />} of a document's tree in the place of the fragment's
 * policies, as APIM does when it loads a policy: in any section and inside any element, fragments included by
 * fragments too. Inlined elements keep their own file and position, so errors point into the fragment. A fragment
 * that includes itself, directly or through others, is refused naming the cycle; so is an expansion beyond
 * {@link #MAX_ELEMENTS} elements (fragments that include others twice over grow exponentially), or fragments nested
 * more than {@link #MAX_NESTING} deep.
 */
final class FragmentInliner {
    static final String INCLUDE = "include-fragment";
    static final int MAX_ELEMENTS = 20_000;
    /** Fragments inside fragments, at most this deep. */
    static final int MAX_NESTING = 16;
    private static final String FRAGMENT_ID = "fragment-id";

    private final Map<String, PolicyFragment> fragments;
    private final Problems problems;
    private int elements;
    private boolean tooLarge;

    FragmentInliner(Map<String, PolicyFragment> fragments, Problems problems) {
        this.fragments = fragments;
        this.problems = problems;
    }

    /** The tree with every inclusion replaced; an inclusion that cannot be is reported and left out. */
    XmlNode apply(XmlNode root) {
        return root.withChildren(children(root, new ArrayList<>()));
    }

    private List<XmlNode> children(XmlNode parent, List<String> including) {
        List<XmlNode> result = new ArrayList<>(parent.children().size());
        for (XmlNode child : parent.children()) {
            if (tooLarge) {
                break;
            }
            if (child.name().equals(INCLUDE)) {
                result.addAll(include(child, including));
            } else if (count(child)) {
                result.add(child.withChildren(children(child, including)));
            }
        }
        return result;
    }

    /** The inlined policies of the fragment {@code include} names, or none (problem reported). */
    private List<XmlNode> include(XmlNode include, List<String> including) {
        String id = include.attributes().get(FRAGMENT_ID);
        if (!valid(include, id)) {
            return List.of();
        }
        PolicyFragment fragment = fragments.get(id);
        if (fragment == null) {
            problems.add(include, include.attributePosition(FRAGMENT_ID), "policy fragment '" + id + "' does not"
                    + " exist: there is no config/policy fragments/" + id + "/policy.xml");
            return List.of();
        }
        if (fragment.root() == null) {
            problems.add(include, include.attributePosition(FRAGMENT_ID), "policy fragment '" + id + "' cannot be"
                    + " read: see the errors of " + fragment.source());
            return List.of();
        }
        int cycleStart = including.indexOf(id);
        if (cycleStart >= 0) {
            List<String> cycle = new ArrayList<>(including.subList(cycleStart, including.size()));
            cycle.add(id);
            problems.add(include, "policy fragments include each other in a cycle: " + String.join(" → ", cycle)
                    + "; a fragment cannot include itself, directly or through others");
            return List.of();
        }
        if (including.size() == MAX_NESTING) {
            problems.add(include, "policy fragments are nested more than " + MAX_NESTING + " deep: "
                    + String.join(" → ", including) + " → " + id);
            return List.of();
        }
        including.add(id);
        List<XmlNode> inlined = children(fragment.root(), including);
        including.remove(including.size() - 1);
        return inlined;
    }

    private boolean valid(XmlNode include, String id) {
        boolean valid = true;
        for (String attribute : include.attributes().keySet()) {
            if (!attribute.equals(FRAGMENT_ID)) {
                problems.add(include, "unknown attribute '" + attribute + "'; allowed: " + FRAGMENT_ID);
                valid = false;
            }
        }
        if (id == null || id.isBlank()) {
            problems.add(include, "attribute '" + FRAGMENT_ID + "' is required: the id of a policy fragment");
            valid = false;
        }
        if (!include.children().isEmpty() || include.textPosition() != null) {
            problems.add(include, "<" + INCLUDE + "> takes no content");
            valid = false;
        }
        return valid;
    }

    /** Counts one more element of the expanded document; false once there are too many. */
    private boolean count(XmlNode element) {
        if (++elements <= MAX_ELEMENTS) {
            return true;
        }
        tooLarge = true;
        problems.add(element, "the policy fragments this document includes expand to more than " + MAX_ELEMENTS
                + " elements");
        return false;
    }
}
