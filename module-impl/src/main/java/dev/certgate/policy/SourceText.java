package dev.certgate.policy;

import javax.xml.stream.Location;
import java.util.Arrays;

/**
 * The document text with line ends normalised (as XML does anyway, so parsing is unchanged) and a
 * line index, to turn StAX locations into the positions people see: StAX reports where an event
 * ends; an error about an element should point at its {@code <}.
 */
final class SourceText {
    /** A line and column, both counted from 1. */
    record Position(int line, int column) {
    }

    private final String content;
    private final int[] lineStarts;

    SourceText(String xml) {
        String withoutBom = xml.startsWith("\uFEFF") ? xml.substring(1) : xml;
        this.content = withoutBom.indexOf('\r') < 0 ? withoutBom
                : withoutBom.replace("\r\n", "\n").replace('\r', '\n');
        int[] starts = new int[16];
        int count = 0;
        starts[count++] = 0;
        for (int i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = i + 1;
        }
        this.lineStarts = Arrays.copyOf(starts, count);
    }

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

    Position position(int index) {
        int found = Arrays.binarySearch(lineStarts, index);
        int line = found >= 0 ? found : -found - 2;
        return new Position(line + 1, index - lineStarts[line] + 1);
    }
}
