package dev.certgate.api;

import java.util.regex.Pattern;

/** The one id pattern of CONTRACT §2, for every entity: checked before an id touches the disk. */
public final class Ids {
    public static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$");

    private Ids() {
    }

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Returns the id, or throws a 400 that names the kind of entity and the rule. */
    public static String require(String kind, String id) {
        if (!isValid(id)) {
            throw new CertgateException(ErrorCode.VALIDATION_ERROR,
                    "Invalid " + kind + " id: it must match " + PATTERN.pattern()
                            + " (letters, digits, '.', '_', '-'; at most 80 characters; no '/' or '..')",
                    java.util.List.of(new ErrorDetail("InvalidId", kind, "id does not match " + PATTERN.pattern())));
        }
        return id;
    }
}
