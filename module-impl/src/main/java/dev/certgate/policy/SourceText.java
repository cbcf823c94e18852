package dev.certgate.policy;

import javax.xml.stream.Location;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A policy document as written and as parsed. Line ends are normalised (as XML does anyway) and APIM's raw
 * expressions escaped ({@link RawPolicyText}); the parser reads the result. Indexes here are into the parsed text;
 * {@link #position} maps them back to the line and column of the text as written, so errors point where people
 * look. StAX reports where an event ends; an error about an element should point at its {@code <}.
 */
final class SourceText {
    /** A line and column, both counted from 1. */
    record Position(int line, int column) {
        /** Where the character {@code offset} characters into a value starting here stands. */
        Position advance(String value, int offset) {
            int lastLineEnd = value.lastIndexOf('\n', offset - 1);
            if (lastLineEnd < 0) {
                return new Position(line, column + offset);
            }
            int lines = (int) value.substring(0, offset).chars().filter(c -> c == '\n').count();
            return new Position(line + lines, offset - lastLineEnd);
        }
    }

    private final String written;
    private final RawPolicyText raw;
    private final String content;
    private final int[] lineStarts;
    private final int[] writtenLineStarts;

    SourceText(String xml) {
        String withoutBom = xml.startsWith("\uFEFF") ? xml.substring(1) : xml;
        this.written = withoutBom.indexOf('\r') < 0 ? withoutBom
                : withoutBom.replace("\r\n", "\n").replace('\r', '\n');
        this.raw = RawPolicyText.of(written);
        this.content = raw.escaped();
        this.lineStarts = lineStarts(content);
        this.writtenLineStarts = lineStarts(written);
    }

    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int count = 0;
        starts[count++] = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = i + 1;
        }
        return Arrays.copyOf(starts, count);
    }

    /** The text to parse. */
    String content() {
        return content;
    }

    /** The index just after the event StAX reports at this location, or {@code fallback} when it has none. */
    int indexOf(Location location, int fallback) {
        int line = location == null ? -1 : location.getLineNumber();
        int column = location == null ? -1 : location.getColumnNumber();
        if (line < 1 || line > lineStarts.length || column < 1) {
            return fallback;
        }
        return Math.min(lineStarts[line - 1] + column - 1, content.length());
    }

    /** Where the tag ending just before {@code endIndex} opens: a literal '<' cannot occur inside a tag. */
    int tagStart(int endIndex) {
        int start = content.lastIndexOf('<', endIndex - 1);
        return start < 0 ? endIndex : start;
    }

    /** The first index at or after {@code from} that is not XML white space. */
    int skipWhitespace(int from) {
        int i = from;
        while (i < content.length() && PolicyValues.isXmlWhitespace(content.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The position, in the text as written, of the character at {@code index} of the parsed text. */
    Position position(int index) {
        return writtenPosition(raw.rawIndex(index));
    }

    /** Where each attribute value of the start tag at {@code tagStart} (an index of the parsed text) begins. */
    Map<String, Position> attributePositions(int tagStart) {
        Map<String, Position> positions = new LinkedHashMap<>();
        raw.attributeStarts(raw.rawIndex(tagStart)).forEach((name, start) -> positions.put(name, writtenPosition(start)));
        return positions;
    }

    /** Where the first expression that does not end where its attribute or text does starts; null if none. */
    Position unendedExpression() {
        int start = raw.unendedExpression();
        return start < 0 ? null : writtenPosition(start);
    }

    private Position writtenPosition(int writtenIndex) {
        int found = Arrays.binarySearch(writtenLineStarts, writtenIndex);
        int line = found >= 0 ? found : -found - 2;
        return new Position(line + 1, writtenIndex - writtenLineStarts[line] + 1);
    }
}
