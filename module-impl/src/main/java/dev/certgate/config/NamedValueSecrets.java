package dev.certgate.config;

import java.security.GeneralSecurityException;

/**
 * Encrypts and decrypts the values of secret named values, which live under {@code secrets/} and never in
 * {@code config/}. Bound to the named value's id, so a file moved to another id does not decrypt.
 */
public interface NamedValueSecrets {
    /** For homes loaded without a master key (tests, tools): nothing can be sealed or opened. */
    NamedValueSecrets NONE = new NamedValueSecrets() {
        @Override
        public byte[] seal(String id, String value) {
            throw new IllegalStateException("no master key: secret named values cannot be stored");
        }

        @Override
        public String open(String id, byte[] sealed) throws GeneralSecurityException {
            throw new GeneralSecurityException("no master key to decrypt with");
        }
    };

    byte[] seal(String id, String value);

    /** The value, or an exception when the bytes were not sealed for this id under this master key. */
    String open(String id, byte[] sealed) throws GeneralSecurityException;
}
