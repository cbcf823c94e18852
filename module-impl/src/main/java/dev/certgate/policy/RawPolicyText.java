package dev.certgate.policy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a policy document in APIM's raw form into well-formed XML, as APIM reads it: an attribute value or a
 * text that starts with {@code @(} or {@code @{} is a C# expression that runs to its balancing {@code )} or
 * {@code }}, and the {@code "}, {@code <}, {@code >} and {@code &} inside it belong to the expression, not to the
 * XML. Inside such expressions those characters are escaped, so the JDK's secure parser can read the result;
 * everything else is copied unchanged (a document that is not well-formed stays so, for the parser to refuse).
 *
 * <p>The end of an expression is found by scanning C#: string literals (regular, verbatim {@code @"..."},
 * interpolated {@code $"...{hole}..."}), character literals and comments are skipped, so a parenthesis or brace
 * inside them does not count. A character or entity reference already written ({@code &quot;}, {@code &#10;}) is
 * kept, so the escaped form of a document reads the same. An expression that never balances leaves the rest of
 * the document as it is; that keeps the scan linear whatever the input.
 *
 * <p>Every escape is recorded, so a position in the escaped text maps back to the one in the text as written:
 * errors name the line and column a person sees in the file. Each start tag's attribute values are recorded by
 * where they start in the text as written.
 */
final class RawPolicyText {
    private final String raw;
    private final StringBuilder out;
    /** Where each escape starts in the escaped text, and the characters it added, summed up to and including it. */
    private int[] escapeStarts = new int[16];
    private int[] addedUpTo = new int[16];
    private int escapes;
    /** By the index of a start tag's {@code <} in the raw text: each attribute's value start, in document order. */
    private final Map<Integer, Map<String, Integer>> attributeStarts = new HashMap<>();
    /** Where the first expression that does not end where its attribute or text does starts; -1 if none. */
    private int unended = -1;

    private RawPolicyText(String raw) {
        this.raw = raw;
        this.out = new StringBuilder(raw.length() + 64);
    }

    /** Escapes the expressions of {@code raw} (line ends already normalised to LF). */
    static RawPolicyText of(String raw) {
        RawPolicyText text = new RawPolicyText(raw);
        text.scan();
        return text;
    }

    /** The well-formed text to parse. */
    String escaped() {
        return out.toString();
    }

    /** The index in the raw text of the character at {@code index} of the escaped text (an escape maps to its character). */
    int rawIndex(int index) {
        int found = Arrays.binarySearch(escapeStarts, 0, escapes, index);
        int k = found >= 0 ? found : -found - 2;
        if (k < 0) {
            return index;
        }
        int before = k == 0 ? 0 : addedUpTo[k - 1];
        int length = addedUpTo[k] - before + 1;
        return index < escapeStarts[k] + length ? escapeStarts[k] - before : index - addedUpTo[k];
    }

    /**
     * The raw index of the first expression that does not end where its attribute value or text does (unbalanced,
     * or an unclosed string), or -1. From there on the document is copied as written.
     */
    int unendedExpression() {
        return unended;
    }

    /** The attribute values of the start tag whose {@code <} is at {@code tagStart} of the raw text, by name. */
    Map<String, Integer> attributeStarts(int tagStart) {
        return attributeStarts.getOrDefault(tagStart, Map.of());
    }

    private void scan() {
        int n = raw.length();
        int i = 0;
        while (i < n) {
            if (raw.charAt(i) != '<') {
                i = text(i);
            } else if (raw.startsWith("<!--", i)) {
                i = comment(i);
            } else if (raw.startsWith("<![CDATA[", i)) {
                i = copyThrough(i, "]]>");
            } else if (raw.startsWith("<?", i)) {
                i = copyThrough(i, "?>");
            } else if (raw.startsWith("<!", i)) {
                // A DOCTYPE: the parser refuses it; its internal subset is not worth understanding here.
                i = copyThrough(i, null);
            } else if (raw.startsWith("</", i)) {
                i = copyThrough(i, ">");
            } else {
                i = startTag(i);
            }
        }
    }

    /** Character data up to the next {@code <}; an expression at its start (after white space) is escaped. */
    private int text(int from) {
        int i = from;
        int n = raw.length();
        while (i < n && PolicyValues.isXmlWhitespace(raw.charAt(i))) {
            i++;
        }
        if (startsExpression(i)) {
            int end = expressionEnd(i, '\0');
            if (end > 0) {
                out.append(raw, from, i);
                escape(i, end, '\0');
                return end;
            }
        }
        int next = raw.indexOf('<', i);
        int end = next < 0 ? n : next;
        out.append(raw, from, end);
        return end;
    }

    /** A start tag: its name, then attributes; a value that is an expression is escaped for its quote. */
    private int startTag(int tagStart) {
        int n = raw.length();
        Map<String, Integer> attributes = new LinkedHashMap<>();
        attributeStarts.put(tagStart, attributes);
        int i = tagStart + 1;
        while (i < n && !isNameEnd(raw.charAt(i))) {
            i++;
        }
        out.append(raw, tagStart, i);
        while (i < n) {
            char c = raw.charAt(i);
            if (c == '>') {
                out.append(c);
                return i + 1;
            }
            if (c == '<') {
                return i; // not well-formed: the parser says so
            }
            if (PolicyValues.isXmlWhitespace(c) || c == '/') {
                out.append(c);
                i++;
                continue;
            }
            int nameStart = i;
            while (i < n && !isNameEnd(raw.charAt(i)) && raw.charAt(i) != '=') {
                i++;
            }
            String name = raw.substring(nameStart, i);
            out.append(name);
            while (i < n && (PolicyValues.isXmlWhitespace(raw.charAt(i)) || raw.charAt(i) == '=')) {
                out.append(raw.charAt(i));
                i++;
            }
            if (i < n && (raw.charAt(i) == '"' || raw.charAt(i) == '\'')) {
                i = attributeValue(name, i, attributes);
            } else if (i == nameStart) {
                out.append(c); // a character no name may hold: copied for the parser to refuse
                i++;
            }
        }
        return i;
    }

    private int attributeValue(String name, int quoteIndex, Map<String, Integer> attributes) {
        char quote = raw.charAt(quoteIndex);
        int valueStart = quoteIndex + 1;
        attributes.putIfAbsent(name, valueStart);
        out.append(quote);
        int i = valueStart;
        if (startsExpression(i)) {
            int end = expressionEnd(i, quote);
            if (end > 0) {
                escape(i, end, quote);
                i = end;
            }
        }
        int close = raw.indexOf(quote, i);
        int end = close < 0 ? raw.length() : close + 1;
        out.append(raw, i, end);
        return end;
    }

    private boolean startsExpression(int i) {
        return unended < 0 && i + 1 < raw.length() && raw.charAt(i) == '@'
                && (raw.charAt(i + 1) == '(' || raw.charAt(i + 1) == '{');
    }

    /**
     * The index just after the expression starting at {@code start} ({@code @(} or {@code @{}), or -1 when it does
     * not end right before the attribute's closing {@code quote} (or, in a text, before the next tag).
     */
    private int expressionEnd(int start, char quote) {
        char open = raw.charAt(start + 1);
        int end = new CSharp(raw).balanced(start + 1, open, open == '(' ? ')' : '}');
        if (end > 0 && endsHere(end, quote)) {
            return end;
        }
        // Once one is unended nothing later can be trusted, and giving up keeps the scan linear.
        unended = start;
        return -1;
    }

    private boolean endsHere(int end, char quote) {
        if (quote != '\0') {
            return end < raw.length() && raw.charAt(end) == quote;
        }
        int i = end;
        while (i < raw.length() && PolicyValues.isXmlWhitespace(raw.charAt(i))) {
            i++;
        }
        return i == raw.length() || raw.charAt(i) == '<';
    }

    /**
     * A comment, copied with any {@code --} inside it turned into spaces: XML forbids them there, APIM's own
     * snippets have them, and a comment's text is never read. The length stays, so positions do too.
     */
    private int comment(int from) {
        int close = raw.indexOf("-->", from + 4);
        int end = close < 0 ? raw.length() : close;
        out.append("<!--");
        for (int i = from + 4; i < end; i++) {
            char c = raw.charAt(i);
            boolean dash = c == '-' && (i + 1 == end || raw.charAt(i + 1) == '-' || raw.charAt(i - 1) == '-');
            out.append(dash ? ' ' : c);
        }
        if (close >= 0) {
            out.append("-->");
            return close + 3;
        }
        return end;
    }

    /** Copies {@code raw[from, to)} escaping what XML would take as markup; {@code quote} is the attribute's, or 0. */
    private void escape(int from, int to, char quote) {
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            String replacement = switch (c) {
                case '<' -> "&lt;";
                case '>' -> quote == '\0' ? "&gt;" : null;
                case '&' -> isReference(i) ? null : "&amp;";
                case '"' -> quote == '"' ? "&quot;" : null;
                case '\'' -> quote == '\'' ? "&apos;" : null;
                // An attribute's line ends and tabs would become spaces (XML normalises attribute values).
                case '\n' -> quote == '\0' ? null : "&#10;";
                case '\t' -> quote == '\0' ? null : "&#9;";
                default -> null;
            };
            if (replacement == null) {
                out.append(c);
            } else {
                record(out.length(), replacement.length() - 1);
                out.append(replacement);
            }
        }
    }

    private void record(int start, int added) {
        if (escapes == escapeStarts.length) {
            escapeStarts = Arrays.copyOf(escapeStarts, escapes * 2);
            addedUpTo = Arrays.copyOf(addedUpTo, escapes * 2);
        }
        escapeStarts[escapes] = start;
        addedUpTo[escapes] = (escapes == 0 ? 0 : addedUpTo[escapes - 1]) + added;
        escapes++;
    }

    /** Whether a character or predefined entity reference starts at {@code i} (an {@code &}). */
    private boolean isReference(int i) {
        int semicolon = raw.indexOf(';', i);
        if (semicolon < 0 || semicolon - i > 10) {
            return false;
        }
        String name = raw.substring(i + 1, semicolon);
        return switch (name) {
            case "lt", "gt", "amp", "quot", "apos" -> true;
            default -> name.matches("#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}");
        };
    }

    /** Copies up to and including {@code terminator} (to the end when it is missing or null). */
    private int copyThrough(int from, String terminator) {
        int found = terminator == null ? -1 : raw.indexOf(terminator, from);
        int end = found < 0 ? raw.length() : found + terminator.length();
        out.append(raw, from, end);
        return end;
    }

    private static boolean isNameEnd(char c) {
        return PolicyValues.isXmlWhitespace(c) || c == '>' || c == '/' || c == '<' || c == '"' || c == '\'';
    }

    /** Enough of C#'s lexical grammar to find where an expression ends. */
    private static final class CSharp {
        /** Interpolation holes inside holes deeper than this end the scan: hostile text must not exhaust the stack. */
        private static final int MAX_NESTING = 64;

        private final String s;
        private int nesting;

        CSharp(String s) {
            this.s = s;
        }

        /** The index just after the {@code close} that balances the {@code open} at {@code from}, or -1. */
        int balanced(int from, char open, char close) {
            if (++nesting > MAX_NESTING) {
                return -1;
            }
            try {
                return balancedFrom(from, open, close);
            } finally {
                nesting--;
            }
        }

        private int balancedFrom(int from, char open, char close) {
            int depth = 0;
            int i = from;
            while (i < s.length()) {
                int skipped = skipLiteral(i);
                if (skipped < 0) {
                    return -1;
                }
                if (skipped > i) {
                    i = skipped;
                    continue;
                }
                char c = s.charAt(i);
                if (c == open) {
                    depth++;
                } else if (c == close && --depth == 0) {
                    return i + 1;
                }
                i++;
            }
            return -1;
        }

        /** After a literal or comment starting at {@code i}; {@code i} itself when none starts there; -1 if unended. */
        private int skipLiteral(int i) {
            char c = s.charAt(i);
            if (c == '"') {
                return regularString(i + 1);
            }
            if (c == '\'') {
                return character(i);
            }
            if (c == '/' && s.startsWith("//", i)) {
                int end = s.indexOf('\n', i);
                return end < 0 ? s.length() : end;
            }
            if (c == '/' && s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                return end < 0 ? -1 : end + 2;
            }
            if (s.startsWith("@\"", i)) {
                return verbatimString(i + 2);
            }
            if (s.startsWith("$\"", i)) {
                return interpolated(i + 2, false);
            }
            if (s.startsWith("$@\"", i) || s.startsWith("@$\"", i)) {
                return interpolated(i + 3, true);
            }
            return i;
        }

        /** A regular string's end; it cannot span lines, so a line end ends it (C# would refuse it anyway). */
        private int regularString(int from) {
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"' || c == '\n') {
                    return i + 1;
                }
            }
            return -1;
        }

        private int verbatimString(int from) {
            for (int i = from; i < s.length(); i++) {
                if (s.charAt(i) == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        return i + 1;
                    }
                }
            }
            return -1;
        }

        /** {@code $"text {hole} {{literal}}"}: a hole is code up to its balancing brace. */
        private int interpolated(int from, boolean verbatim) {
            int i = from;
            while (i < s.length()) {
                char c = s.charAt(i);
                if ((c == '{' || c == '}') && i + 1 < s.length() && s.charAt(i + 1) == c) {
                    i += 2;
                } else if (c == '{') {
                    i = balanced(i, '{', '}');
                    if (i < 0) {
                        return -1;
                    }
                } else if (c == '\\' && !verbatim) {
                    i += 2;
                } else if (c == '"') {
                    if (verbatim && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        i += 2;
                    } else {
                        return i + 1;
                    }
                } else if (c == '\n' && !verbatim) {
                    return i + 1;
                } else {
                    i++;
                }
            }
            return -1;
        }

        /** A character literal ({@code 'x'}, an escaped one); a lone apostrophe (not C#) is an ordinary character. */
        private int character(int i) {
            boolean escaped = i + 1 < s.length() && s.charAt(i + 1) == '\\';
            int end = escaped ? s.indexOf('\'', i + 3) : i + 2;
            boolean literal = end > 0 && end < s.length() && end - i <= 10 && s.charAt(end) == '\'';
            return literal ? end + 1 : i + 1;
        }
    }
}
