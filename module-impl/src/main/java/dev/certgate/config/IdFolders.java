package dev.certgate.config;

import dev.certgate.api.Ids;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The entity folders of a collection ({@code named values}, {@code policy fragments}) by id, as the loader reads
 * every collection: hidden, backup and temporary names are skipped, a folder whose name is not an id is an error,
 * and a folder holding nothing is ignored (a writer that crashed between creating it and writing its file).
 */
final class IdFolders {
    private IdFolders() {
    }

    static Map<String, Path> of(HomeLayout layout, HomeView view, Path dir, String kind, List<ConfigError> errors) {
        Map<String, Path> result = new TreeMap<>();
        for (String name : list(layout, view, dir, errors)) {
            Path child = dir.resolve(name);
            if (!view.isDirectory(child) || list(layout, view, child, errors).isEmpty()) {
                continue;
            }
            if (Ids.isValid(name)) {
                result.put(name, child);
            } else {
                errors.add(ConfigError.of(layout.relative(child), "folder name \"" + name + "\" is not a valid " + kind
                        + " id: it must match " + Ids.PATTERN.pattern()));
            }
        }
        return result;
    }

    /**
     * The names in {@code dir} the loader may read, for every folder of the home: hidden, editors' backup and lock
     * names are skipped, and files named {@code *.tmp}. A folder named so is read: {@code orders.tmp} is a valid id.
     * Certgate's own temporary files are hidden ones.
     */
    static List<String> list(HomeLayout layout, HomeView view, Path dir, List<ConfigError> errors) {
        try {
            return view.list(dir).stream().filter(name -> !ignored(view, dir, name)).toList();
        } catch (IOException e) {
            errors.add(ConfigError.of(layout.relative(dir), "cannot list: " + e));
            return List.of();
        }
    }

    private static boolean ignored(HomeView view, Path dir, String name) {
        return name.startsWith(".") || name.endsWith("~") || (name.startsWith("#") && name.endsWith("#"))
                || name.endsWith(".tmp") && !view.isDirectory(dir.resolve(name));
    }
}
