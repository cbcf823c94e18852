package dev.certgate.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What a JSON value should have been, in the words of the file rather than of Java: "expected true or false" where
 * databind says {@code Cannot deserialize value of type `java.lang.Boolean` from String "no"}. Never the value
 * itself, which may be a secret put in the wrong place.
 */
public final class JsonExpectations {
    private JsonExpectations() {
    }

    /** The expectation the value did not meet, or empty when the failure is not a value of the wrong type. */
    public static Optional<String> of(JsonMappingException failure) {
        if (!(failure instanceof MismatchedInputException mismatch) || mismatch.getTargetType() == null) {
            return Optional.empty();
        }
        Class<?> type = mismatch.getTargetType();
        if (type == Boolean.class || type == boolean.class) {
            return Optional.of("expected true or false");
        }
        if (type == String.class) {
            return Optional.of("expected a string");
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class || type == double.class) {
            return Optional.of("expected a number");
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return Optional.of("expected a list [...]");
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return Optional.of("expected an object {...}");
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return Optional.of("expected a date and time in ISO 8601 form, such as \"2027-01-31T00:00:00Z\"");
        }
        // Databind's own reason for the rest (an unparsable value of some other type) quotes the value.
        return Optional.of("expected a value of type " + type.getSimpleName());
    }
}
