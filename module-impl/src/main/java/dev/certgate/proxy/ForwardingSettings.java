package dev.certgate.proxy;

import dev.certgate.http.BodyDeadline;

import java.time.Duration;
import java.util.Locale;

/**
 * How requests travel to back ends, read once at start: {@value #MODE} ({@code async}, the default: Servlet async
 * I/O, so a waiting request holds no thread; or {@code blocking}: a container thread waits for each request, as it
 * does for a filter chain that is not async-capable), both over the same non-blocking HttpClient pools; and for
 * either path and the admin API how long a caller may take to send its body ({@link BodyDeadline}): it must
 * have arrived whole within {@value #BODY_TIMEOUT} seconds, or keep arriving at {@value #BODY_MIN_RATE} bytes per
 * second on average from the request's start; otherwise 408 {@code RequestBodyTimeout}.
 */
public record ForwardingSettings(boolean nonBlocking, BodyDeadline bodyDeadline) {
    public static final String MODE = "certgate.forwarding";
    public static final String MODE_ENVIRONMENT = "CERTGATE_FORWARDING";
    public static final String BODY_TIMEOUT = "certgate.requestBodyTimeout";
    public static final String BODY_TIMEOUT_ENVIRONMENT = "CERTGATE_REQUEST_BODY_TIMEOUT";
    public static final String BODY_MIN_RATE = "certgate.requestBodyMinRate";
    public static final String BODY_MIN_RATE_ENVIRONMENT = "CERTGATE_REQUEST_BODY_MIN_RATE";

    public static final ForwardingSettings BLOCKING = new ForwardingSettings(false, BodyDeadline.DEFAULT);

    /** Each value as given (null or blank for the default); a wrong one is refused naming the setting. */
    public static ForwardingSettings parse(String mode, String bodyTimeoutSeconds, String bodyMinRate) {
        String given = mode == null || mode.isBlank() ? "async" : mode.trim().toLowerCase(Locale.ROOT);
        boolean nonBlocking = switch (given) {
            case "blocking" -> false;
            case "async" -> true;
            default -> throw new IllegalArgumentException(MODE + " is \"" + mode.trim() + "\": use async or blocking");
        };
        long seconds = number(BODY_TIMEOUT, bodyTimeoutSeconds, BodyDeadline.DEFAULT.timeout().toSeconds(), 1);
        long rate = number(BODY_MIN_RATE, bodyMinRate, BodyDeadline.DEFAULT.minRate(), 0);
        return new ForwardingSettings(nonBlocking, new BodyDeadline(Duration.ofSeconds(seconds), rate));
    }

    private static long number(String name, String value, long fallback, long minimum) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number >= minimum) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(name + " is \"" + value.trim() + "\": use a whole number from " + minimum);
    }
}
