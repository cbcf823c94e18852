package dev.certgate.api;

import java.util.regex.Pattern;

/**
 * The one id pattern of CONTRACT §2, for every entity: checked before an id touches the disk. It also refuses
 * '..' anywhere, as §5 says ("an id with '/', '..' … is refused"): no id reads as a parent folder to a tool.
 */
public final class Ids {
    public static final Pattern PATTERN = Pattern.compile("^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._-]{0,79}$");

    private Ids() {
    }

    /** Same rule as {@link #PATTERN}, without a regex: the proxy checks an id on every request. */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > 80) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean alphanumeric = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (!alphanumeric && (i == 0 || c != '.' && c != '_' && c != '-' || c == '.' && id.charAt(i - 1) == '.')) {
                return false;
            }
        }
        return true;
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
