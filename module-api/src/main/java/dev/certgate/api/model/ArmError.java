package dev.certgate.api.model;

import dev.certgate.api.ErrorDetail;

import java.util.List;

/** The admin API's error body: {@code {"error": {"code", "message", "details": [...]}}}. */
public record ArmError(Body error) {
    public record Body(String code, String message, List<ErrorDetail> details) {
    }

    public static ArmError of(String code, String message, List<ErrorDetail> details) {
        return new ArmError(new Body(code, message, List.copyOf(details)));
    }
}
