package dev.certgate.admin;

import dev.certgate.config.ApiStatus;
import dev.certgate.config.ConfigError;
import dev.certgate.config.ConfigService;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Whether an API serves what its files say. When errors (in its own files, or in what it uses) keep it on its last
 * good configuration or unavailable, an admin write to its files is saved but does not serve yet; the answer says so
 * rather than let a 200 read as "in effect" (CONTRACT §5), and a read says that what it shows is not what serves.
 */
final class FilesNotServed {
    private static final int ERRORS_NAMED = 3;

    private FilesNotServed() {
    }

    /** The warning for answers about {@code apiId}'s files, or null when the API serves them as they are. */
    static String warning(ConfigService config, String apiId) {
        for (ApiStatus api : config.status().apis()) {
            if (api.id().equals(apiId)) {
                return switch (api.state()) {
                    case LAST_GOOD -> text(apiId, "keeps serving its last good configuration", api.errors());
                    case UNAVAILABLE -> text(apiId, "is unavailable (its calls answer 503)", api.errors());
                    case SERVED, NOT_CURRENT -> null;
                };
            }
        }
        return null;
    }

    private static String text(String apiId, String state, List<ConfigError> errors) {
        String named = errors.stream().limit(ERRORS_NAMED).map(ConfigError::describe)
                .collect(Collectors.joining("; "));
        String more = errors.size() > ERRORS_NAMED ? " (and " + (errors.size() - ERRORS_NAMED) + " more)" : "";
        return "The files of API '" + apiId + "' are saved but not served: it " + state
                + " until these errors are fixed: " + named + more + ". GET /admin/status lists them all.";
    }
}
