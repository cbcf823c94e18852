package dev.certgate.config;

/**
 * The entity a configuration file belongs to, told from its path relative to the home: the global policy, an API
 * (anything under {@code config/apis/<name>/}, its operations and specification included), a backend, a
 * certificate, an authority, a version set, or nothing Certgate serves from ({@link Kind#OTHER}). Errors are filed under their
 * owner, so one broken file makes unavailable only what depends on it.
 */
record FileOwner(Kind kind, String name) {
    enum Kind { GLOBAL, API, BACKEND, CERTIFICATE, AUTHORITY, VERSION_SET, OTHER }

    private static final String GLOBAL_POLICY = "config/policy.xml";
    private static final String[] PREFIXES = {"config/apis/", "config/backends/", "config/certificates/",
            "config/authorities/", "config/version sets/"};
    private static final Kind[] KINDS = {Kind.API, Kind.BACKEND, Kind.CERTIFICATE, Kind.AUTHORITY, Kind.VERSION_SET};

    static FileOwner of(String file) {
        if (GLOBAL_POLICY.equals(file)) {
            return new FileOwner(Kind.GLOBAL, null);
        }
        for (int i = 0; i < PREFIXES.length; i++) {
            if (file.startsWith(PREFIXES[i]) && file.length() > PREFIXES[i].length()) {
                String rest = file.substring(PREFIXES[i].length());
                int slash = rest.indexOf('/');
                return new FileOwner(KINDS[i], slash < 0 ? rest : rest.substring(0, slash));
            }
        }
        return new FileOwner(Kind.OTHER, null);
    }
}
