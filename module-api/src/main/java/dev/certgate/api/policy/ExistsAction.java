package dev.certgate.api.policy;

import java.util.Locale;

/** {@code set-header}'s {@code exists-action}; APIM's default is {@code override}. */
public enum ExistsAction {
    OVERRIDE, SKIP, APPEND, DELETE;

    public String xmlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
