package dev.certgate.certs;

import dev.certgate.config.HomeLayout;

/** STUB (owner: certs work). The 32-byte master key from which key-store passwords are derived. */
public final class MasterKey {
    private MasterKey() {
    }

    /**
     * Loads {@code CERTGATE_MASTER_KEY_FILE} (from {@code environment}) or {@code secrets/master.key},
     * generating the latter on first start; refuses secrets with wider than owner-only permissions.
     */
    public static MasterKey loadOrCreate(HomeLayout layout, java.util.Map<String, String> environment) {
        throw new UnsupportedOperationException("stub");
    }

    /** A password for one purpose (e.g. the key store of certificate id X), derived with HKDF/HMAC. */
    public char[] derivePassword(String purpose) {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
