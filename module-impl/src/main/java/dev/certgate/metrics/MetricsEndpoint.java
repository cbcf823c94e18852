package dev.certgate.metrics;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The scrape answered without credentials on a path of its own (setting {@code certgate.metrics.path}, e.g.
 * {@code /metrics}; off when unset), for a Prometheus inside the network that cannot send the admin's credentials.
 * The gateway's servlet or filter asks it first: a request for any other path costs one length and one string
 * comparison. The path is below the web application's context path, and wins over an API at the same path.
 */
public final class MetricsEndpoint {
    public static final String PARAMETER = "certgate.metrics.path";
    public static final String ENVIRONMENT = "CERTGATE_METRICS_PATH";

    private final String path;
    private final GatewayMetrics metrics;

    /** @param path from {@link #path(String)}; null = off */
    public MetricsEndpoint(String path, GatewayMetrics metrics) {
        this.path = path;
        this.metrics = metrics;
    }

    /** The setting checked: null when unset, else a path such as {@code /metrics}. */
    public static String path(String setting) {
        if (setting == null || setting.isBlank()) {
            return null;
        }
        String path = setting.strip();
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")
                || !path.matches("[A-Za-z0-9._~!$&'()*+,;=:@/-]+") || path.contains("//")
                || path.equals("/admin") || path.startsWith("/admin/")) {
            throw new IllegalArgumentException(PARAMETER + " (" + ENVIRONMENT + ") must be a path such as /metrics: "
                    + "it starts with /, does not end with /, has no query, and is not under /admin, not '"
                    + setting + "'");
        }
        return path;
    }

    /** The path the scrape is served on, or null when it is off. */
    public String path() {
        return path;
    }

    /**
     * Answers the request if it is for the metrics path ({@code GET} or {@code HEAD}; 405 for other methods) and
     * says whether it did; false at once when the path is off.
     */
    public boolean answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (path == null) {
            return false;
        }
        String uri = request.getRequestURI();
        int start = request.getContextPath().length();
        if (uri.length() != start + path.length() || !uri.startsWith(path, start)) {
            return false;
        }
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            response.setHeader("Allow", "GET, HEAD");
            return true;
        }
        String type = GatewayMetrics.contentType(request.getHeader("Accept"));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Content-Type", type);
        response.setHeader("Cache-Control", "no-store");
        if (!head) {
            metrics.scrape(type, response.getOutputStream());
        }
        return true;
    }
}
