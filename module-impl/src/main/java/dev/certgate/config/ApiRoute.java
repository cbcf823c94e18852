package dev.certgate.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Which calls reach an API: those under {@code path} (normalised: no leading or trailing slash, "" for the root
 * API), and, for a version of a version set, those that name its {@code version} the set's way ({@code
 * Segment}: the path segment after the path; {@code Header} or {@code Query}: the header or query parameter {@code
 * versionName}). A version "" is the set's original API, reached without naming a version.
 */
public record ApiRoute(String path, Scheme scheme, String versionSetId, String versionName, String version) {
    public enum Scheme { NONE, SEGMENT, HEADER, QUERY }

    /** The admin API's path segment, below the gateway's root. */
    private static final String ADMIN = "admin";

    public ApiRoute {
        path = normalizedPath(path);
        version = version == null ? "" : version;
    }

    /** An API outside any version set. */
    public static ApiRoute of(String path) {
        return new ApiRoute(path, Scheme.NONE, null, null, "");
    }

    /** The path under which the router files the API: the version segment included for {@code Segment}. */
    public String routingPath() {
        return scheme == Scheme.SEGMENT && !version.isEmpty() ? join(path, version) : path;
    }

    /** Whether the version is chosen by a header or query parameter rather than by the path. */
    public boolean selectsByRequest() {
        return scheme == Scheme.HEADER || scheme == Scheme.QUERY;
    }

    /**
     * Whether two APIs would claim the same calls: the same routing path, unless both are versions of one set that
     * chooses by header or query, with different versions.
     */
    public boolean conflictsWith(ApiRoute other) {
        if (!routingPath().equals(other.routingPath())) {
            return false;
        }
        boolean siblings = selectsByRequest() && other.selectsByRequest() && versionSetId.equals(other.versionSetId);
        return !siblings || version.equals(other.version);
    }

    /** "path \"orders\"", "path \"orders\" version \"v2\" (header Api-Version)", for messages. */
    public String describe() {
        String where = "path \"" + path + "\"";
        return switch (scheme) {
            case NONE -> where;
            case SEGMENT -> where + " version \"" + version + "\" (path segment)";
            case HEADER -> where + " version \"" + version + "\" (header " + versionName + ")";
            case QUERY -> where + " version \"" + version + "\" (query parameter " + versionName + ")";
        };
    }

    /** An API's path without leading and trailing slashes and blanks; "" for the root API. */
    public static String normalizedPath(String apiPath) {
        String p = apiPath == null ? "" : apiPath.trim();
        int start = 0;
        int end = p.length();
        while (start < end && p.charAt(start) == '/') {
            start++;
        }
        while (end > start && p.charAt(end - 1) == '/') {
            end--;
        }
        return p.substring(start, end);
    }

    /**
     * Why no request could reach an API with this path, or null. Requests are routed on their path as sent (after
     * dot-segment removal), so the path must be written that way: URL characters and %XX escapes, no '.' or '..'
     * segment, and not under /admin, which is the admin API's. Dot segments and /admin are looked for in the
     * percent-decoded path, as the container dispatches on it: {@code %61dmin} is under /admin. An escape is kept
     * only where it is the one way to write its character: see {@link #escapeProblem}.
     */
    public static String pathProblem(String apiPath) {
        String path = normalizedPath(apiPath);
        for (String segment : path.split("/", -1)) {
            String decoded = decoded(segment);
            if (decoded.equals(".") || decoded.equals("..")) {
                return "has a '" + decoded + "' segment" + (segment.equals(decoded) ? "" : " ('" + segment + "')")
                        + ", which requests never keep";
            }
        }
        String decodedPath = decoded(path);
        // Containers dispatch without path parameters: admin;v=1 is /admin too.
        if (decodedPath.equals(ADMIN) || decodedPath.startsWith(ADMIN + "/") || decodedPath.startsWith(ADMIN + ";")) {
            return "is under /admin, the admin API's own path";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
                    String problem = escapeProblem(path.substring(i, i + 3));
                    if (problem != null) {
                        return problem;
                    }
                    i += 2;
                    continue;
                }
                return "has a '%' that does not start an escape such as %20";
            }
            if (!isPathCharacter(c)) {
                return "has " + (c == ' ' ? "a space" : String.format(Locale.ROOT, "'%c' (U+%04X)", c, (int) c))
                        + ", which requests carry escaped: write the path as it appears in a URL";
            }
        }
        if (!isUtf8(path)) {
            return "has escapes that are not UTF-8, which servers refuse in request paths";
        }
        return null;
    }

    /**
     * Why the escape {@code %XX} cannot stand in an API path, or null. Requests are matched on the raw path, so an
     * escape of a character URLs carry plainly (RFC 3986 §2.3) would match only callers who escape it too; and the
     * server or the gateway refuses request paths with an encoded '/', '\', '%' or control character.
     */
    private static String escapeProblem(String escape) {
        int value = Integer.parseInt(escape.substring(1), 16);
        char c = (char) value;
        if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
            return "has " + escape + ", an escaped '" + c + "', which URLs carry unescaped: write '" + c + "'";
        }
        if (c == '/' || c == '\\') {
            return "has " + escape + ", an encoded '" + c + "' inside a segment, which the gateway refuses in"
                    + " request paths";
        }
        if (c == '%') {
            return "has " + escape + ", an encoded '%', which the server refuses in request paths";
        }
        if (c < 0x20 || c == 0x7F) {
            return "has " + escape + ", an encoded control character, which servers refuse in request paths";
        }
        return null;
    }

    /** {@code raw} with its %XX escapes decoded as UTF-8 (malformed bytes as U+FFFD); other characters kept. */
    private static String decoded(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        return new String(escapedBytes(raw), StandardCharsets.UTF_8);
    }

    private static boolean isUtf8(String raw) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(escapedBytes(raw)));
            return true;
        } catch (CharacterCodingException malformed) {
            return false;
        }
    }

    private static byte[] escapedBytes(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && isHex(raw.charAt(i + 1)) && isHex(raw.charAt(i + 2))) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toByteArray();
    }

    /** RFC 3986 pchar without the escapes, and '/': unreserved, sub-delims, ':' and '@'. */
    private static boolean isPathCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    static Scheme scheme(String versioningScheme) {
        if (versioningScheme == null) {
            return null;
        }
        return switch (versioningScheme.trim().toLowerCase(Locale.ROOT)) {
            case "segment" -> Scheme.SEGMENT;
            case "header" -> Scheme.HEADER;
            case "query" -> Scheme.QUERY;
            default -> null;
        };
    }

    private static String join(String path, String segment) {
        return path.isEmpty() ? segment : path + "/" + segment;
    }
}
