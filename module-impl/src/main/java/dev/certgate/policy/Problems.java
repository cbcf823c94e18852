package dev.certgate.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The problems of one policy document, collected so that one load names them all; at most
 * {@link PolicyException#MAX_PROBLEMS}, the last of which then says how many more there were.
 */
final class Problems {
    private final List<PolicyException.Problem> found = new ArrayList<>();
    private int notListed;
    private Function<XmlNode, Map<String, String>> secretsOf = node -> Map.of();

    /** Where secret named values were put in: a problem about such an element must not quote them. */
    void keepOut(Function<XmlNode, Map<String, String>> secretsIn) {
        this.secretsOf = secretsIn;
    }

    /** A problem about {@code node} at its {@code <}. */
    void add(XmlNode node, String reason) {
        add(node, node.position(), reason);
    }

    /** A problem about {@code node} at {@code at} (an attribute value, a text). */
    void add(XmlNode node, SourceText.Position at, String reason) {
        add(new PolicyException.Problem(node.source(), at.line(), at.column(), node.name(),
                withoutSecrets(reason, secretsOf.apply(node))));
    }

    /**
     * The reason, or when it may quote a secret put into the element (its first characters, or a value cut short),
     * a reason that names the named value instead.
     */
    private static String withoutSecrets(String reason, Map<String, String> secrets) {
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String value = secret.getValue();
            String start = value.substring(0, Math.min(4, value.length()));
            if (!start.isEmpty() && (reason.contains(start) || reason.contains("…'"))) {
                return "not valid with the value of secret named value '" + secret.getKey() + "' put in (the reason"
                        + " is not shown, as it would quote the secret)";
            }
        }
        return reason;
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
        if (!found.isEmpty()) {
            throw new PolicyException(list());
        }
    }

    /** Every problem; past {@link PolicyException#MAX_PROBLEMS} the last one says how many more there were. */
    List<PolicyException.Problem> list() {
        if (notListed == 0) {
            return List.copyOf(found);
        }
        List<PolicyException.Problem> all = new ArrayList<>(found.subList(0, found.size() - 1));
        PolicyException.Problem last = found.get(found.size() - 1);
        all.add(new PolicyException.Problem(last.source(), last.line(), last.column(), null, (notListed + 1)
                + " more problems in this document are not listed"));
        return all;
    }
}
