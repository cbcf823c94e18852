package dev.certgate.config;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Refuses a write that would create a file or folder whose name differs from an existing one only in case
 * ({@code apis/Orders} beside {@code apis/orders}). APIM treats such ids as one name, and Windows and macOS as one
 * folder: on those the write would land in the other entity's folder, and a home copied there from Linux would lose
 * one of the two.
 */
final class CaseTwins {
    private CaseTwins() {
    }

    /**
     * 409 naming both paths when a step that writes would create a case twin, the change's primary file first (it
     * names the entity); deletes are never refused.
     */
    static void refuse(HomeLayout layout, Path primary, List<ConfigChange.Step> steps) {
        if (primary != null) {
            refuse(layout, primary.toAbsolutePath().normalize());
        }
        for (ConfigChange.Step step : steps) {
            if (step.content() != null) {
                refuse(layout, step.path());
            }
        }
    }

    private static void refuse(HomeLayout layout, Path target) {
        Path dir = layout.home();
        for (Path part : layout.home().relativize(target)) {
            String name = part.toString();
            List<String> siblings = names(dir);
            if (siblings.contains(name)) {
                dir = dir.resolve(name);
                continue;
            }
            for (String sibling : siblings) {
                if (sibling.equalsIgnoreCase(name)) {
                    String wanted = layout.relative(dir.resolve(name));
                    String existing = layout.relative(dir.resolve(sibling));
                    throw new CertgateException(ErrorCode.CONFLICT, wanted + " would differ from the existing "
                            + existing + " only in case: APIM takes such ids for one, and Windows and macOS such"
                            + " names for one file. Use the existing id, or another",
                            List.of(new ErrorDetail("NameDiffersOnlyInCase", wanted, "the existing " + existing
                                    + " differs only in case")));
                }
            }
            return; // nothing exists below a name that is new
        }
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(child -> child.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of(); // no folder there (yet, or a file in its place): the write itself answers for that
        }
    }
}
