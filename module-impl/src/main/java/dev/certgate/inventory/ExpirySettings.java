package dev.certgate.inventory;

/**
 * How far ahead expiry is warned of, read once at start like the other settings: {@value #WARNING_DAYS} (environment
 * {@value #WARNING_DAYS_ENVIRONMENT}), whole days from 0 (expired only) to 3650, default 30.
 */
public record ExpirySettings(int warningDays) {
    public static final String WARNING_DAYS = "certgate.expiryWarningDays";
    public static final String WARNING_DAYS_ENVIRONMENT = "CERTGATE_EXPIRY_WARNING_DAYS";
    public static final int DEFAULT_WARNING_DAYS = 30;
    private static final int MAX_WARNING_DAYS = 3650;

    /** The value as given (null or blank for the default); a wrong one is refused naming the setting. */
    public static ExpirySettings parse(String warningDays) {
        if (warningDays == null || warningDays.isBlank()) {
            return new ExpirySettings(DEFAULT_WARNING_DAYS);
        }
        String trimmed = warningDays.trim();
        if (trimmed.matches("\\d{1,4}") && Integer.parseInt(trimmed) <= MAX_WARNING_DAYS) {
            return new ExpirySettings(Integer.parseInt(trimmed));
        }
        throw new IllegalArgumentException(WARNING_DAYS + " is \"" + trimmed + "\": use a whole number of days from 0"
                + " to " + MAX_WARNING_DAYS + " (default " + DEFAULT_WARNING_DAYS + ")");
    }
}
