package dev.certgate.config;

/** Rules of operation URL templates that the loader checks before the router compiles them. */
final class UrlTemplates {
    private UrlTemplates() {
    }

    /**
     * Whether a catch-all parameter ({@code {*path}}, APIM's "the rest of the path") appears only as the whole last
     * segment of the path part, if at all: {@code /files/{*path}} yes, {@code /{*path}/meta} and {@code /a{*b}} no.
     */
    static boolean catchAllLast(String template) {
        int query = template.indexOf('?');
        String path = query < 0 ? template : template.substring(0, query);
        int at = path.indexOf("{*");
        if (at < 0) {
            return true;
        }
        int end = path.indexOf('}', at);
        return at > 0 && path.charAt(at - 1) == '/' && end == path.length() - 1 && path.indexOf("{*", end) < 0;
    }
}
