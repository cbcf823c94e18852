package dev.certgate.api.model;

import java.util.List;

/** A collection answer in APIM's shape: {@code {"value": [...], "count": N}}. */
public record EntityList<T>(List<T> value, int count) {
    public static <T> EntityList<T> of(List<T> value) {
        return new EntityList<>(List.copyOf(value), value.size());
    }
}
