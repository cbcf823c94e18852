package dev.certgate.config;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Refuses a write that would create a file or folder whose name not every file system a home may be on holds as
 * itself. A name that differs from an existing one only in case ({@code apis/Orders} beside {@code apis/orders}):
 * APIM treats such ids as one name, and Windows and macOS as one folder. A name Windows changes or reserves: it drops
 * a final '.' ({@code apis/orders.} would be {@code apis/orders}), and device names such as {@code con} or
 * {@code nul.json} are no file there. On those the write would land in another entity's folder or fail, and a home
 * copied there from Linux would lose one of the two. Only new names are checked: what exists (a folder made by hand
 * on Linux) is loaded and can be replaced as before.
 */
final class PortableNames {
    /** Windows' device names, which stay devices with any extension. */
    private static final Pattern WINDOWS_DEVICE =
            Pattern.compile("(?i)(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\\..*)?");

    private PortableNames() {
    }

    /**
     * 409 naming both paths when a step that writes would create a case twin, 400 when it would create a name Windows
     * changes or reserves; the change's primary file first (it names the entity); deletes are never refused.
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
            Path created = dir;
            for (Path newName : dir.relativize(target)) { // nothing exists below a name that is new
                created = created.resolve(newName);
                refuseWindowsChanged(layout, created);
            }
            return;
        }
    }

    private static void refuseWindowsChanged(HomeLayout layout, Path created) {
        String name = created.getFileName().toString();
        String wanted = layout.relative(created);
        if (name.endsWith(".")) {
            String merged = layout.relative(created.resolveSibling(name.replaceAll("\\.+$", "")));
            throw new CertgateException(ErrorCode.VALIDATION_ERROR, wanted + " cannot be created: Windows drops a final"
                    + " '.' from a name, so there it would be " + merged + ", and a home copied there would merge the"
                    + " two. Use an id that does not end with '.'",
                    List.of(new ErrorDetail("NameNotPortable", wanted, "ends with '.'")));
        }
        if (WINDOWS_DEVICE.matcher(name).matches()) {
            throw new CertgateException(ErrorCode.VALIDATION_ERROR, wanted + " cannot be created: \"" + name + "\" is"
                    + " a device name on Windows (CON, PRN, AUX, NUL, COM1-9 and LPT1-9, with any extension), which no"
                    + " file or folder there can have. Use another id",
                    List.of(new ErrorDetail("NameNotPortable", wanted, "a Windows device name")));
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
