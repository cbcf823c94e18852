package dev.certgate.config;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether a change may be applied. Every change is validated as the whole configuration it would leave, but only
 * the errors it adds refuse it: with per-API isolation a home may hold errors (an unsupported policy, a Key Vault
 * named value without a value), and refusing every write until they are gone would keep the caller from fixing
 * them through the admin API, or from changing anything else meanwhile.
 *
 * <p>An error is the same before and after when its file and message are: its line and column are left out, so
 * a write that moves an error it did not fix (a line added above it) does not count as adding it, while an error
 * that appears once more than before does.
 */
final class ChangeRefusal {
    /** Positions some messages quote, e.g. {@code policy expression (line 4, column 9): not supported}. */
    private static final Pattern QUOTED_POSITION = Pattern.compile("line \\d+, column \\d+");

    private ChangeRefusal() {
    }

    /**
     * The errors of {@code wouldBe} that {@code onDisk} does not have (each error of {@code onDisk} matches one
     * of {@code wouldBe} at most), in the order of {@code wouldBe}.
     *
     * @param wouldBe the errors of the configuration with the change applied
     * @param onDisk  the errors of the configuration on disk now
     */
    static List<ConfigError> added(List<ConfigError> wouldBe, List<ConfigError> onDisk) {
        Map<String, Integer> before = new HashMap<>();
        onDisk.forEach(error -> before.merge(identity(error), 1, Integer::sum));
        List<ConfigError> added = new ArrayList<>();
        for (ConfigError error : wouldBe) {
            String identity = identity(error);
            int count = before.getOrDefault(identity, 0);
            if (count == 0) {
                added.add(error);
            } else {
                before.put(identity, count - 1);
            }
        }
        return added;
    }

    /** 400 listing each error the change would add (file, line, column, message), or null when it adds none. */
    static CertgateException of(List<ConfigError> wouldBe, List<ConfigError> onDisk) {
        List<ConfigError> added = added(wouldBe, onDisk);
        if (added.isEmpty()) {
            return null;
        }
        return new CertgateException(ErrorCode.VALIDATION_ERROR, "The change would make the configuration invalid: "
                + added.get(0).describe() + (added.size() > 1 ? " (and " + (added.size() - 1) + " more)" : ""),
                added.stream().map(e -> new ErrorDetail("InvalidConfiguration", e.file(), e.positionedMessage()))
                        .toList());
    }

    private static String identity(ConfigError error) {
        return error.file() + '\n' + QUOTED_POSITION.matcher(error.message()).replaceAll("line ?, column ?");
    }
}
