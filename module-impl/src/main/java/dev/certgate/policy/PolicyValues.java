package dev.certgate.policy;

import dev.certgate.api.Ids;
import dev.certgate.api.policy.ExistsAction;
import dev.certgate.http.ConnectionHeaders;
import dev.certgate.http.HttpUrls;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for the literal values of CONTRACT §3, one method per kind of value. Each takes the
 * text as read from the file and returns it normalised, or throws a {@link RuleViolation} naming
 * the attribute (or {@code <value>}) and what is wrong.
 *
 * <p>Every value is trimmed of leading and trailing XML white space (space, tab, CR, LF) so that
 * an indented {@code <value>} means what it shows; other white space, Unicode spaces included, is
 * kept. Control characters are refused (a tab is allowed inside a header value): they would end
 * up in an HTTP header or URL, and the writer could not round-trip them.
 */
final class PolicyValues {
    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern NAMED_VALUE = Pattern.compile("\\{\\{[^{}]*}}");
    /** RFC 9110 §5.6.2 token: the characters a header name may have. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final int QUOTE_LIMIT = 60;

    private PolicyValues() {
    }

    /** A literal attribute value: trimmed, no {{...}} left, no control character. */
    static String literal(String attribute, String raw) {
        return checked(label(attribute), raw, false);
    }

    /** The text of a {@code <value>}: like {@link #literal} but a tab inside is allowed. */
    static String headerValue(String raw) {
        return checked("header value", raw, true);
    }

    /** Whether {@code value} is an HTTP token (RFC 9110 §5.6.2): a header name's or a method's characters. */
    static boolean isToken(String value) {
        return HEADER_NAME.matcher(value).matches();
    }

    /** A header name a policy may set: not one of the fields that frame the message or belong to a connection. */
    static String headerName(String attribute, String raw) {
        String name = literal(attribute, raw);
        if (!HEADER_NAME.matcher(name).matches()) {
            throw new RuleViolation(label(attribute) + ": " + quote(name)
                    + " is not a valid header name (letters, digits and !#$%&'*+.^_`|~- only)");
        }
        if (ConnectionHeaders.isReservedForTheProxy(name)) {
            throw new RuleViolation(label(attribute) + ": header " + quote(name) + " cannot be set by a policy: the"
                    + " gateway manages the fields that frame a message or belong to one connection (Content-Length,"
                    + " Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Trailer, Expect, Proxy-*)");
        }
        return name;
    }

    /** A SHA-1 thumbprint in any case, with or without colons or spaces; returned upper-case, bare. */
    static String thumbprint(String attribute, String raw) {
        String value = literal(attribute, raw);
        String bare = value.replace(":", "").replace(" ", "");
        if (!THUMBPRINT.matcher(bare).matches()) {
            throw new RuleViolation(label(attribute) + ": " + quote(value)
                    + " is not a SHA-1 thumbprint (40 hexadecimal digits; colons and spaces are ignored)");
        }
        return bare.toUpperCase(Locale.ROOT);
    }

    /** An entity id (certificate, backend) in the one id pattern of CONTRACT §2. */
    static String id(String attribute, String raw) {
        String value = literal(attribute, raw);
        if (!Ids.isValid(value)) {
            throw new RuleViolation(label(attribute) + ": " + quote(value) + " is not a valid id (it must match "
                    + Ids.PATTERN.pattern() + ")");
        }
        return value;
    }

    static boolean bool(String attribute, String raw) {
        String value = literal(attribute, raw);
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new RuleViolation(label(attribute) + " must be true or false, not " + quote(value));
    }

    /** Whole seconds, greater than zero. */
    static int positiveSeconds(String attribute, String raw) {
        String value = literal(attribute, raw);
        int seconds = 0;
        if (DIGITS.matcher(value).matches()) {
            try {
                seconds = Integer.parseInt(value);
            } catch (NumberFormatException tooLarge) {
                seconds = 0;
            }
        }
        if (seconds <= 0) {
            throw new RuleViolation(label(attribute) + " must be a whole number of seconds greater than 0, not "
                    + quote(value));
        }
        return seconds;
    }

    static ExistsAction existsAction(String attribute, String raw) {
        String value = literal(attribute, raw);
        for (ExistsAction action : ExistsAction.values()) {
            if (action.xmlName().equalsIgnoreCase(value)) {
                return action;
            }
        }
        throw new RuleViolation(label(attribute) + " must be override, skip, append or delete, not " + quote(value));
    }

    /** An absolute http or https URL with a host: where requests go instead of the API's service URL. */
    static String httpUrl(String attribute, String raw) {
        String value = literal(attribute, raw);
        if (HttpUrls.isHttpUrl(value)) {
            return value;
        }
        throw new RuleViolation(label(attribute) + " must be an absolute http or https URL, not " + quote(value));
    }

    /** The text of an element such as {@code <origin>}: trimmed, not empty, no control character. */
    static String elementText(String element, String raw) {
        String value = checked("<" + element + ">", raw, false);
        if (value.isEmpty()) {
            throw new RuleViolation("<" + element + "> must not be empty");
        }
        return value;
    }

    static String nonEmpty(String attribute, String raw) {
        String value = literal(attribute, raw);
        if (value.isEmpty()) {
            throw new RuleViolation(label(attribute) + " must not be empty");
        }
        return value;
    }

    /** For messages: the value in quotes, shortened so that a huge value does not flood a log line. */
    static String quote(String value) {
        String shown = value.length() <= QUOTE_LIMIT ? value : value.substring(0, QUOTE_LIMIT) + "…";
        return "'" + shown + "'";
    }

    private static String label(String attribute) {
        return "attribute '" + attribute + "'";
    }

    private static String checked(String label, String raw, boolean tabAllowed) {
        // An expression never gets here: the parser reports it where it starts (Expressions) and skips its element.
        String value = trimXmlWhitespace(raw);
        if (NAMED_VALUE.matcher(value).find()) {
            // Named values are replaced before the rules run: what is left is no reference Certgate can replace.
            throw new RuleViolation(label + ": {{...}} is not a named value reference (a name has letters, digits,"
                    + " '.', '-' and '_' only), and a named value's own value cannot refer to another");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t' ? !tabAllowed : Character.isISOControl(c)) {
                throw new RuleViolation(label + ": control characters such as line breaks are not allowed"
                        + " (character U+" + String.format("%04X", (int) c) + " at position " + (i + 1) + ")");
            }
            if (!isXmlCharacter(value, i)) {
                throw new RuleViolation(label + ": character at position " + (i + 1)
                        + " cannot appear in an XML document");
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        return value;
    }

    /** XML 1.0 §2.2 Char, minus what {@link Character#isISOControl} already refuses. */
    private static boolean isXmlCharacter(String value, int i) {
        char c = value.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return !Character.isLowSurrogate(c) && c != '\uFFFE' && c != '\uFFFF';
    }

    static String trimXmlWhitespace(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && isXmlWhitespace(raw.charAt(start))) {
            start++;
        }
        while (end > start && isXmlWhitespace(raw.charAt(end - 1))) {
            end--;
        }
        return raw.substring(start, end);
    }

    /** How many XML white space characters {@code value} starts with. */
    static int leadingXmlWhitespace(String value) {
        int i = 0;
        while (i < value.length() && isXmlWhitespace(value.charAt(i))) {
            i++;
        }
        return i;
    }

    static boolean isXmlWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
