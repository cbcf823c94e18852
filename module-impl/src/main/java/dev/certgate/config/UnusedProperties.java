package dev.certgate.config;

import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.NamedValueProperties;
import dev.certgate.api.model.OperationProperties;
import dev.certgate.api.model.PolicyFragmentProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges the properties an entity carries beyond what Certgate reads (the model records' {@code unused} maps), by
 * {@link ApimObject}: the same rule for files on disk and admin request bodies.
 */
public final class UnusedProperties {
    /** What to make of one such property. */
    public enum Verdict {
        /** Neither Certgate nor APIM defines it: an error. */
        UNKNOWN,
        /** An APIM setting Certgate does not act on: kept, and a warning. */
        NOT_USED,
        /** An APIM property that changes nothing here (a description, or a value that asks for nothing): kept. */
        KEPT
    }

    /**
     * One property beyond what Certgate reads.
     *
     * @param path   where it is from the top of the file, such as {@code "properties", "credentials", "query"}
     * @param name   the same inside {@code properties}, as people read it: {@code credentials.query}
     * @param reason for an unknown property, what it may have meant: {@code did you mean 'serviceUrl'?}
     */
    public record Finding(List<Object> path, String name, Verdict verdict, String reason) {
        /** For an unknown property: {@code unknown property 'serviceURL': did you mean 'serviceUrl'?} */
        public String message() {
            return "unknown property '" + name + "': " + reason;
        }
    }

    private UnusedProperties() {
    }

    /** The findings about an entity's properties, in file order; none for types without such properties. */
    public static List<Finding> of(Object properties) {
        List<Finding> findings = new ArrayList<>();
        if (properties instanceof ApiProperties api) {
            judge(ApimObject.API, "", api.unused(), findings);
        } else if (properties instanceof OperationProperties operation) {
            judge(ApimObject.OPERATION, "", operation.unused(), findings);
        } else if (properties instanceof BackendProperties backend) {
            judge(ApimObject.BACKEND, "", backend.unused(), findings);
            judge(ApimObject.BACKEND_CREDENTIALS, "credentials", backend.credentials().unused(), findings);
            judge(ApimObject.BACKEND_TLS, "tls", backend.tls().unused(), findings);
        } else if (properties instanceof NamedValueProperties namedValue) {
            judge(ApimObject.NAMED_VALUE, "", namedValue.unused(), findings);
        } else if (properties instanceof PolicyFragmentProperties fragment) {
            judge(ApimObject.POLICY_FRAGMENT, "", fragment.unused(), findings);
        }
        return findings;
    }

    /** The findings about the other properties of an admin certificate upload. */
    public static List<Finding> ofCertificateUpload(Map<String, Object> unused) {
        return judged(ApimObject.CERTIFICATE, unused);
    }

    /** The findings about the fields of an admin certificate upload form (by name; values are never kept). */
    public static List<Finding> ofCertificateForm(Map<String, Object> unused) {
        return judged(ApimObject.CERTIFICATE_FORM, unused);
    }

    /** The findings about the other properties of an admin authority upload. */
    public static List<Finding> ofAuthorityUpload(Map<String, Object> unused) {
        return judged(ApimObject.AUTHORITY, unused);
    }

    /** The findings about the other properties of an admin policy body ({@code format}, {@code value}). */
    public static List<Finding> ofPolicy(Map<String, Object> unused) {
        return judged(ApimObject.POLICY, unused);
    }

    /**
     * The findings about the top level of a configuration file beside {@code properties} (ARM's {@code id},
     * {@code name}, {@code type} are known), each with its path from the top of the file.
     */
    static List<Finding> ofFileTopLevel(Map<String, Object> others) {
        List<Finding> findings = new ArrayList<>();
        judge(ApimObject.FILE, List.of(), "", others, findings);
        return findings;
    }

    private static List<Finding> judged(ApimObject object, Map<String, Object> unused) {
        List<Finding> findings = new ArrayList<>();
        judge(object, "", unused, findings);
        return findings;
    }

    private static void judge(ApimObject object, String prefix, Map<String, Object> unused, List<Finding> findings) {
        judge(object, prefix.isEmpty() ? List.of("properties") : List.of("properties", prefix), prefix, unused,
                findings);
    }

    /** @param at the object's path from the top of the file */
    private static void judge(ApimObject object, List<Object> at, String prefix, Map<String, Object> unused,
                              List<Finding> findings) {
        unused.forEach((name, value) -> {
            String qualified = qualified(prefix, name);
            List<Object> path = new ArrayList<>(at);
            path.add(name);
            if (!object.definedByApim(name)) {
                findings.add(new Finding(path, qualified, Verdict.UNKNOWN, suggestion(object, prefix, name)));
            } else {
                findings.add(new Finding(path, qualified, object.asksForSomething(name, value) ? Verdict.NOT_USED
                        : Verdict.KEPT, null));
            }
        });
    }

    private static String suggestion(ApimObject object, String prefix, String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : object.known()) {
            int distance = distance(name.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        if (best != null && bestDistance <= Math.max(1, best.length() / 3)) {
            return "did you mean '" + qualified(prefix, best) + "'?";
        }
        return "neither Certgate nor APIM defines it for " + object.description() + "; Certgate reads "
                + String.join(", ", object.read());
    }

    private static String qualified(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** Levenshtein distance: the fewest one-character edits that turn {@code a} into {@code b}. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
