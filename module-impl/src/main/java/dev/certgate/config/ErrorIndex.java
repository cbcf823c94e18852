package dev.certgate.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A load's errors filed by the entity whose file they are in ({@link FileOwner}), and those in a policy fragment
 * also by each entity whose policy includes it: the fragment belongs to none of them, but breaks them all.
 */
final class ErrorIndex {
    private final Map<FileOwner.Kind, Map<String, List<ConfigError>>> byOwner = new EnumMap<>(FileOwner.Kind.class);

    /**
     * @param errors   every error of the load
     * @param included the errors in the fragments a policy document includes, by the document's file
     */
    ErrorIndex(List<ConfigError> errors, Map<String, List<ConfigError>> included) {
        errors.forEach(error -> file(FileOwner.of(error.file()), error));
        included.forEach((document, found) -> found.forEach(error -> file(FileOwner.of(document), error)));
    }

    /** Once per owner: an API whose policy and operation both include a fragment lists its error once. */
    private void file(FileOwner owner, ConfigError error) {
        List<ConfigError> filed = byOwner.computeIfAbsent(owner.kind(), kind -> new TreeMap<>())
                .computeIfAbsent(owner.name() == null ? "" : owner.name(), name -> new ArrayList<>());
        if (!filed.contains(error)) {
            filed.add(error);
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
