package dev.certgate.http;

import java.time.Duration;

/**
 * How slowly a caller may send a request body, proxied or to the admin API: whole within {@code timeout}, or from
 * then on arriving at {@code minRate} bytes per second or more on average since the request began (0: no grace
 * past the timeout). Without it a caller sending a byte just inside the container's idle timeout each time would
 * hold its request open for as long as it liked. Answered with 408 {@code RequestBodyTimeout}.
 */
public record BodyDeadline(Duration timeout, long minRate) {
    public static final BodyDeadline DEFAULT = new BodyDeadline(Duration.ofSeconds(30), 1024);

    /**
     * How a body that has brought {@code received} bytes in {@code elapsedMillis} since the request began is late
     * ("did not arrive within …"), or null while it is not.
     */
    public String late(long received, long elapsedMillis) {
        if (elapsedMillis < timeout.toMillis()) {
            return null;
        }
        if (minRate > 0 && received >= minRate * elapsedMillis / 1000) {
            return null;
        }
        return "did not arrive within " + timeout.toSeconds() + " s (" + received + " bytes in "
                + elapsedMillis + " ms, below " + minRate + " bytes/s)";
    }
}
