package dev.certgate.config;

import dev.certgate.api.model.ApiProperties;

/** Where requests reach an API, as one string: two APIs with equal keys would claim the same calls. */
public final class RouteKeys {
    private RouteKeys() {
    }

    public static String of(ApiProperties properties) {
        return normalizedPath(properties.path());
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
}
