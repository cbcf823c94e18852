package dev.certgate.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems of one policy document, collected so that one load names them all; at most
 * {@link PolicyException#MAX_PROBLEMS}, the last of which then says how many more there were.
 */
final class Problems {
    private final List<PolicyException.Problem> found = new ArrayList<>();
    private int notListed;

    /** A problem about {@code node} at its {@code <}. */
    void add(XmlNode node, String reason) {
        add(node, node.position(), reason);
    }

    /** A problem about {@code node} at {@code at} (an attribute value, a text). */
    void add(XmlNode node, SourceText.Position at, String reason) {
        add(new PolicyException.Problem(node.source(), at.line(), at.column(), node.name(), reason));
    }

    void add(PolicyException.Problem problem) {
        if (found.size() < PolicyException.MAX_PROBLEMS) {
            found.add(problem);
        } else {
            notListed++;
        }
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws a {@link PolicyException} with every problem, if there is any. */
    void throwIfAny() {
        if (found.isEmpty()) {
            return;
        }
        if (notListed == 0) {
            throw new PolicyException(found);
        }
        List<PolicyException.Problem> all = new ArrayList<>(found.subList(0, found.size() - 1));
        PolicyException.Problem last = found.get(found.size() - 1);
        all.add(new PolicyException.Problem(last.source(), last.line(), last.column(), null, (notListed + 1)
                + " more problems in this document are not listed"));
        throw new PolicyException(all);
    }
}
