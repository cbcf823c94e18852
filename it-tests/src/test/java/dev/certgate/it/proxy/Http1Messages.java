package dev.certgate.it.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strict reader of HTTP/1.1 messages as they crossed a connection, for tests that must see framing exactly:
 * each message is delimited by its own header fields (one Content-Length, or Transfer-Encoding: chunked alone, or
 * neither for no body), and a message framed two ways at once stops the reading there, as a desync would.
 */
final class Http1Messages {
    /** One message: its first line, its header lines, and its body (de-chunked). */
    record Message(String startLine, List<String> fields, String body) {
        List<String> values(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return fields.stream().filter(f -> f.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(f -> f.substring(prefix.length()).trim()).toList();
        }

        int status() {
            return Integer.parseInt(startLine.split(" ")[1]);
        }
    }

    /**
     * What a connection's bytes held: the messages read whole, then either nothing, an incomplete message
     * ({@code rest}), or a message whose framing cannot be trusted ({@code broken} says why; {@code rest} starts
     * with it).
     */
    record Reading(List<Message> messages, String rest, String broken) {
        boolean clean() {
            return rest.isEmpty() && broken == null;
        }
    }

    private Http1Messages() {
    }

    /** Reads requests from the start of {@code text} (ISO-8859-1) for as long as they are whole and well framed. */
    static Reading read(String text) {
        return read(text, false);
    }

    /**
     * Reads answers a connection carried to its end: as {@link #read(String)}, but an answer with neither
     * Content-Length nor Transfer-Encoding, whose status allows a body, is delimited by the connection's close
     * (RFC 9112, 6.3) and takes the rest. No answer to HEAD may be among them.
     */
    static Reading readAnswers(String text) {
        return read(text, true);
    }

    private static Reading read(String text, boolean answersToTheEnd) {
        List<Message> messages = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int headEnd = text.indexOf("\r\n\r\n", at);
            if (headEnd < 0) {
                return new Reading(messages, text.substring(at), null);
            }
            String[] lines = text.substring(at, headEnd).split("\r\n", -1);
            List<String> fields = List.of(lines).subList(1, lines.length);
            Message head = new Message(lines[0], fields, "");
            List<String> lengths = head.values("Content-Length");
            List<String> codings = head.values("Transfer-Encoding");
            String broken = brokenFraming(fields, lengths, codings);
            if (broken != null) {
                return new Reading(messages, text.substring(at), broken);
            }
            int bodyStart = headEnd + 4;
            if (!codings.isEmpty()) {
                StringBuilder body = new StringBuilder();
                int end = dechunk(text, bodyStart, body);
                if (end < 0) {
                    return new Reading(messages, text.substring(at), end == -1 ? null : "a malformed chunk");
                }
                messages.add(new Message(lines[0], fields, body.toString()));
                at = end;
            } else if (answersToTheEnd && lengths.isEmpty() && bodyUntilClose(head.status())) {
                messages.add(new Message(lines[0], fields, text.substring(bodyStart)));
                at = text.length();
            } else {
                long length = lengths.isEmpty() ? 0 : Long.parseLong(lengths.get(0));
                if (text.length() - bodyStart < length) {
                    return new Reading(messages, text.substring(at), null);
                }
                messages.add(new Message(lines[0], fields, text.substring(bodyStart, bodyStart + (int) length)));
                at = bodyStart + (int) length;
            }
        }
        return new Reading(messages, "", null);
    }

    private static boolean bodyUntilClose(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    /** Why a message's framing cannot be trusted, or null. */
    private static String brokenFraming(List<String> fields, List<String> lengths, List<String> codings) {
        if (lengths.size() > 1) {
            return "two Content-Length fields";
        }
        if (!codings.isEmpty() && !lengths.isEmpty()) {
            return "Content-Length and Transfer-Encoding together";
        }
        if (!codings.isEmpty() && !codings.equals(List.of("chunked"))) {
            return "Transfer-Encoding " + codings;
        }
        if (fields.stream().anyMatch(field -> !field.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+:.*"))) {
            return "a header line that is not a field";
        }
        return null;
    }

    /** De-chunks from {@code at}; answers where the message ends, -1 if it has not all arrived, -2 if malformed. */
    private static int dechunk(String text, int at, StringBuilder body) {
        while (true) {
            int lineEnd = text.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return -1;
            }
            String size = text.substring(at, lineEnd);
            int extension = size.indexOf(';');
            if (!(extension < 0 ? size : size.substring(0, extension)).matches("[0-9A-Fa-f]{1,8}")) {
                return -2;
            }
            int length = Integer.parseInt(extension < 0 ? size : size.substring(0, extension), 16);
            if (length == 0) { // then trailer fields, if any, and a blank line
                if (text.startsWith("\r\n", lineEnd + 2)) {
                    return lineEnd + 4;
                }
                int trailersEnd = text.indexOf("\r\n\r\n", lineEnd + 2);
                return trailersEnd < 0 ? -1 : trailersEnd + 4;
            }
            int dataEnd = lineEnd + 2 + length;
            if (text.length() < dataEnd + 2) {
                return -1;
            }
            if (!text.startsWith("\r\n", dataEnd)) {
                return -2;
            }
            body.append(text, lineEnd + 2, dataEnd);
            at = dataEnd + 2;
        }
    }
}
