package dev.certgate.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A load's errors filed by the entity whose file they are in ({@link FileOwner}). */
final class ErrorIndex {
    private final Map<FileOwner.Kind, Map<String, List<ConfigError>>> byOwner = new EnumMap<>(FileOwner.Kind.class);

    ErrorIndex(List<ConfigError> errors) {
        for (ConfigError error : errors) {
            FileOwner owner = FileOwner.of(error.file());
            byOwner.computeIfAbsent(owner.kind(), kind -> new TreeMap<>())
                    .computeIfAbsent(owner.name() == null ? "" : owner.name(), name -> new ArrayList<>())
                    .add(error);
        }
    }

    /** The errors in files of the entity; empty when it has none. */
    List<ConfigError> of(FileOwner.Kind kind, String name) {
        return byOwner.getOrDefault(kind, Map.of()).getOrDefault(name == null ? "" : name, List.of());
    }

    List<ConfigError> global() {
        return of(FileOwner.Kind.GLOBAL, null);
    }

    /** The names of the entities of a kind that have errors. */
    Set<String> names(FileOwner.Kind kind) {
        return byOwner.getOrDefault(kind, Map.of()).keySet();
    }
}
