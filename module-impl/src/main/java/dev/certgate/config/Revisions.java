package dev.certgate.config;

import dev.certgate.api.Ids;
import dev.certgate.api.model.ApiProperties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * APIM's API revisions as the APIOps extractor writes them: {@code apis/<apiId>;rev=<n>/} beside {@code
 * apis/<apiId>/}. The revision whose {@code apiInformation.json} says {@code "isCurrent": true} serves the API; the
 * plain folder does when none says so. An id with {@code ;rev=} is allowed only in this form, as an API folder.
 */
public final class Revisions {
    private static final Pattern FOLDER = Pattern.compile("(.+);rev=([1-9][0-9]{0,8})");

    /** The folders of one API, and the one that serves it (null when it cannot be told, with the reason). */
    record Choice(String apiId, List<String> folders, String current, String problem) {
    }

    private Revisions() {
    }

    /** Whether a folder name is {@code <apiId>;rev=<n>} with a valid id and a positive revision number. */
    static boolean isRevisionFolder(String name) {
        Matcher m = FOLDER.matcher(name);
        return m.matches() && Ids.isValid(m.group(1));
    }

    /** The revision folders ({@code <apiId>;rev=<n>}) the API has on disk, sorted; none for most APIs. */
    public static List<String> foldersOf(HomeLayout layout, String apiId) {
        try (Stream<Path> folders = Files.list(layout.apisDir())) {
            return folders.map(folder -> folder.getFileName().toString())
                    .filter(name -> isRevisionFolder(name) && apiIdOf(name).equals(apiId))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of(); // no apis/ folder: no revisions
        }
    }

    /** The API a folder serves or is a revision of: {@code orders} for {@code orders;rev=2} and for {@code orders}. */
    static String apiIdOf(String folder) {
        Matcher m = FOLDER.matcher(folder);
        return m.matches() && Ids.isValid(m.group(1)) ? m.group(1) : folder;
    }

    /**
     * For every API, which of its folders is current. {@code properties} gives a folder's properties, null when its
     * information file did not load.
     */
    static Map<String, Choice> choose(Collection<String> folders, Function<String, ApiProperties> properties) {
        Map<String, List<String>> byApi = new TreeMap<>();
        folders.forEach(folder -> byApi.computeIfAbsent(apiIdOf(folder), id -> new ArrayList<>()).add(folder));
        Map<String, Choice> choices = new TreeMap<>();
        byApi.forEach((apiId, group) -> choices.put(apiId, choose(apiId, group, properties)));
        return choices;
    }

    private static Choice choose(String apiId, List<String> group, Function<String, ApiProperties> properties) {
        List<String> flagged = group.stream().filter(folder -> isCurrent(properties.apply(folder))).toList();
        if (flagged.size() == 1) {
            return new Choice(apiId, group, flagged.get(0), null);
        }
        if (flagged.size() > 1) {
            return new Choice(apiId, group, null, "\"isCurrent\": true in " + String.join(" and ", flagged)
                    + ": only one revision of API \"" + apiId + "\" can be current");
        }
        if (group.contains(apiId)) {
            return new Choice(apiId, group, apiId, null);
        }
        return new Choice(apiId, group, null, "API \"" + apiId + "\" has revisions " + String.join(", ", group)
                + " and no folder " + apiId + ", and none of them says \"isCurrent\": true");
    }

    private static boolean isCurrent(ApiProperties properties) {
        return properties != null && Boolean.TRUE.equals(properties.unused().get("isCurrent"));
    }
}
