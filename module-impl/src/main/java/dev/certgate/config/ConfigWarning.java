package dev.certgate.config;

/**
 * Something in the configuration worth a look that does not stop it from loading: {@code code} says what kind
 * ({@link #NOT_USED}, {@link #NEEDS_VALUE}, {@link #FRAGMENT_NOT_INCLUDABLE}), {@code file} is relative to the home,
 * line and column count from 1 (null if unknown).
 */
public record ConfigWarning(String code, String file, Integer line, Integer column, String message) {
    /** Settings APIM would act on that Certgate keeps but does not use. */
    public static final String NOT_USED = "NotUsedByCertgate";
    /** A named value without a value here (Key Vault, or a secret not exported): what uses it is not served. */
    public static final String NEEDS_VALUE = "NeedsValue";
    /** A policy fragment with a problem that would refuse any policy including it, which none does yet. */
    public static final String FRAGMENT_NOT_INCLUDABLE = "FragmentNotIncludable";
}
