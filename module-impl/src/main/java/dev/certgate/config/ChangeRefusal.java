package dev.certgate.config;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Why a change was not applied. Every change is validated as the whole configuration it would leave, so an
 * error can be the change's own (400: the caller must fix the request) or one that is on disk already, in a
 * file the change does not touch (409: that file must be fixed first, and no change can be applied until then;
 * the answer names it, or the caller would hunt for a mistake in a request that has none).
 */
final class ChangeRefusal {
    private ChangeRefusal() {
    }

    /**
     * @param wouldBe the errors of the configuration with the change applied
     * @param onDisk  the errors of the configuration on disk now
     * @param touched the files and folders the change writes or deletes, relative to the home
     */
    static CertgateException of(List<ConfigError> wouldBe, List<ConfigError> onDisk, Set<String> touched) {
        Set<ConfigError> before = new HashSet<>(onDisk);
        List<ConfigError> caused = new ArrayList<>();
        List<ConfigError> elsewhere = new ArrayList<>();
        for (ConfigError error : wouldBe) {
            (before.contains(error) && !touches(touched, error.file()) ? elsewhere : caused).add(error);
        }
        List<ErrorDetail> details = new ArrayList<>();
        caused.forEach(e -> details.add(new ErrorDetail("InvalidConfiguration", e.file(), e.positionedMessage())));
        elsewhere.forEach(e -> details.add(new ErrorDetail("InvalidFileOnDisk", e.file(), e.positionedMessage())));
        if (caused.isEmpty()) {
            return new CertgateException(ErrorCode.CONFLICT, "The configuration on disk is invalid, so no change "
                    + "can be applied: " + fixFirst(elsewhere), details);
        }
        return new CertgateException(ErrorCode.VALIDATION_ERROR, "The change would make the configuration invalid: "
                + caused.get(0).describe() + more(caused)
                + (elsewhere.isEmpty() ? "" : "; besides, " + fixFirst(elsewhere)), details);
    }

    /** {@code fix config/apis/orders/policy.xml:4:9 first (reason)}. */
    private static String fixFirst(List<ConfigError> errors) {
        ConfigError first = errors.get(0);
        String where = first.file() + (first.line() == null ? ""
                : ":" + first.line() + (first.column() == null ? "" : ":" + first.column()));
        return "fix " + where + " first (" + first.message() + ")" + more(errors);
    }

    private static String more(List<ConfigError> errors) {
        return errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
    }

    /** Whether {@code file} is one of the touched paths or inside a touched folder. */
    private static boolean touches(Set<String> touched, String file) {
        for (String path : touched) {
            if (file.equals(path) || file.startsWith(path + "/")) {
                return true;
            }
        }
        return false;
    }
}
