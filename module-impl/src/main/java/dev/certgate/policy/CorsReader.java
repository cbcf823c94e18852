package dev.certgate.policy;

import dev.certgate.api.policy.Cors;
import dev.certgate.http.Origins;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads {@code <cors>} as APIM defines it: {@code <allowed-origins>} (required: {@code *} alone, or origins with
 * scheme, host and port), {@code <allowed-methods preflight-result-max-age>} (GET and POST when absent),
 * {@code <allowed-headers>} and {@code <expose-headers>}, each list holding at least one entry and {@code *}
 * standing for any. APIM refuses {@code allow-credentials="true"} with the origin {@code *}; so does Certgate.
 */
final class CorsReader {
    private static final List<String> LISTS = List.of("allowed-origins", "allowed-methods", "allowed-headers",
            "expose-headers");
    private static final Map<String, String> ENTRY = Map.of("allowed-origins", "origin", "allowed-methods", "method",
            "allowed-headers", "header", "expose-headers", "header");
    /** APIM's default when a document has no {@code <allowed-methods>}. */
    private static final List<String> DEFAULT_METHODS = List.of("GET", "POST");

    private CorsReader() {
    }

    static Cors read(PolicyElement cors) {
        String credentials = cors.optional("allow-credentials");
        String terminate = cors.optional("terminate-unmatched-request");
        boolean allowCredentials = credentials != null && PolicyValues.bool("allow-credentials", credentials);
        Map<String, XmlNode> lists = lists(cors.elements());
        XmlNode origins = lists.get("allowed-origins");
        if (origins == null) {
            throw new RuleViolation("<allowed-origins> is required: the origins allowed to call, or <origin>*</origin>");
        }
        List<String> allowedOrigins = entries(origins, CorsReader::origin);
        if (allowedOrigins.contains(Cors.ANY) && allowCredentials) {
            throw new RuleViolation("the origin * cannot be used with allow-credentials=\"true\" (APIM refuses it too:"
                    + " a browser does not send credentials to any origin); list the origins", origins);
        }
        XmlNode methods = lists.get("allowed-methods");
        int maxAge = 0;
        List<String> allowedMethods = DEFAULT_METHODS;
        if (methods != null) {
            String age = methods.attributes().get("preflight-result-max-age");
            maxAge = age == null ? 0 : seconds(age, methods);
            allowedMethods = entries(methods, (value, at) -> token(value, at).toUpperCase(Locale.ROOT));
        }
        XmlNode headers = lists.get("allowed-headers");
        XmlNode expose = lists.get("expose-headers");
        return new Cors(allowCredentials, terminate == null || PolicyValues.bool("terminate-unmatched-request",
                terminate), allowedOrigins, allowedMethods, maxAge,
                headers == null ? List.of() : entries(headers, (value, at) -> token(value, at).toLowerCase(Locale.ROOT)),
                expose == null ? List.of() : entries(expose, CorsReader::token));
    }

    /** The four lists by name, each at most once, with no attribute but allowed-methods' max age. */
    private static Map<String, XmlNode> lists(List<XmlNode> elements) {
        Map<String, XmlNode> lists = new HashMap<>();
        for (XmlNode element : elements) {
            if (!LISTS.contains(element.name())) {
                throw new RuleViolation("<" + element.name() + "> is not allowed inside <cors>; allowed: "
                        + String.join(", ", LISTS.stream().map(name -> "<" + name + ">").toList()), element);
            }
            if (lists.put(element.name(), element) != null) {
                throw new RuleViolation("<" + element.name() + "> may appear only once in <cors>", element);
            }
            for (String attribute : element.attributes().keySet()) {
                if (!(element.name().equals("allowed-methods") && attribute.equals("preflight-result-max-age"))) {
                    throw new RuleViolation("unknown attribute '" + attribute + "' on <" + element.name() + ">",
                            element);
                }
            }
            if (element.textPosition() != null) {
                throw new RuleViolation("text is not allowed in <" + element.name() + ">", element);
            }
        }
        return lists;
    }

    /** The list's entries, read by {@code reader}; at least one, each a text-only element of the list's kind. */
    private static List<String> entries(XmlNode list, BiFunction<String, XmlNode, String> reader) {
        String entry = ENTRY.get(list.name());
        List<String> values = new ArrayList<>();
        for (XmlNode child : list.children()) {
            if (!child.name().equals(entry)) {
                throw new RuleViolation("<" + child.name() + "> is not allowed inside <" + list.name() + ">; only <"
                        + entry + "> is", child);
            }
            if (!child.attributes().isEmpty() || !child.children().isEmpty()) {
                throw new RuleViolation("<" + entry + "> holds text only", child);
            }
            values.add(reader.apply(child.text(), child));
        }
        if (values.isEmpty()) {
            throw new RuleViolation("<" + list.name() + "> needs at least one <" + entry + ">", list);
        }
        return values;
    }

    private static String origin(String raw, XmlNode at) {
        String value = text(raw, at);
        if (value.equals(Cors.ANY)) {
            return value;
        }
        String origin = Origins.normalize(value);
        if (origin == null) {
            throw new RuleViolation("<origin> " + PolicyValues.quote(value) + " is not an origin: * or a scheme, host"
                    + " and port such as https://app.example:443 (no path)", at);
        }
        return origin;
    }

    /** A method or header name (an HTTP token), or *. */
    private static String token(String raw, XmlNode at) {
        String value = text(raw, at);
        if (!value.equals(Cors.ANY) && !PolicyValues.isToken(value)) {
            throw new RuleViolation("<" + at.name() + "> " + PolicyValues.quote(value) + " is not a valid name (letters,"
                    + " digits and !#$%&'*+.^_`|~- only), nor *", at);
        }
        return value;
    }

    private static String text(String raw, XmlNode at) {
        try {
            return PolicyValues.elementText(at.name(), raw);
        } catch (RuleViolation violation) {
            throw new RuleViolation(violation.getMessage(), at);
        }
    }

    private static int seconds(String raw, XmlNode at) {
        String value = PolicyValues.trimXmlWhitespace(raw);
        if (value.matches("[0-9]{1,9}")) {
            return Integer.parseInt(value);
        }
        throw new RuleViolation("attribute 'preflight-result-max-age' must be a whole number of seconds, not "
                + PolicyValues.quote(value), at);
    }
}
