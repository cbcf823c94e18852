package dev.certgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads an entity's {@code {"properties": …}} file as the loader does for every kind: a property neither Certgate
 * nor APIM defines is an error at its position, APIM settings Certgate does not use are one warning, and the rest
 * of the file is still checked so one load names every mistake.
 */
final class InformationFiles {
    private InformationFiles() {
    }

    /** The properties, or null (the reason added to {@code errors}). */
    static <P> P read(byte[] bytes, Class<P> type, String source, List<ConfigError> errors,
                      List<ConfigWarning> warnings) {
        P properties = JsonEnvelope.read(bytes, type, source, errors);
        if (properties == null) {
            return null;
        }
        reportUnused(properties, new JsonPositions(bytes), source, errors, warnings);
        return properties;
    }

    /**
     * The properties' names that neither Certgate nor APIM defines, each an error at its position; the APIM
     * settings Certgate does not use, one warning.
     */
    static void reportUnused(Object properties, JsonPositions positions, String source, List<ConfigError> errors,
                             List<ConfigWarning> warnings) {
        List<UnusedProperties.Finding> notUsed = new ArrayList<>();
        for (UnusedProperties.Finding finding : UnusedProperties.of(properties)) {
            if (finding.verdict() == UnusedProperties.Verdict.UNKNOWN) {
                errors.add(positions.error(source, finding.message(), finding.path().toArray()));
            } else if (finding.verdict() == UnusedProperties.Verdict.NOT_USED) {
                notUsed.add(finding);
            }
        }
        if (!notUsed.isEmpty()) {
            String names = notUsed.stream().map(UnusedProperties.Finding::name).collect(Collectors.joining(", "));
            warnings.add(positions.warning(ConfigWarning.NOT_USED, source,
                    "not used by Certgate (kept as written): " + names, notUsed.get(0).path().toArray()));
        }
    }
}
