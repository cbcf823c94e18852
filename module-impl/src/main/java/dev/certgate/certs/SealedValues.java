package dev.certgate.certs;

import dev.certgate.config.NamedValueSecrets;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Secret named values sealed with AES-256-GCM under a key derived from the master key for each id; the id is the
 * additional authenticated data too. File format: version byte (1), 12-byte nonce, ciphertext with its 16-byte tag.
 */
public final class SealedValues implements NamedValueSecrets {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKey masterKey;
    private final SecureRandom random = new SecureRandom();

    public SealedValues(MasterKey masterKey) {
        this.masterKey = masterKey;
    }

    @Override
    public byte[] seal(String id, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plain = value.getBytes(StandardCharsets.UTF_8);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, id, nonce).doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every JDK", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public String open(String id, byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new GeneralSecurityException("not a sealed named value");
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES);
        byte[] plain = cipher(Cipher.DECRYPT_MODE, id, nonce).doFinal(sealed, 1 + NONCE_BYTES,
                sealed.length - 1 - NONCE_BYTES);
        try {
            return new String(plain, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private Cipher cipher(int mode, String id, byte[] nonce) throws GeneralSecurityException {
        String purpose = "named-values/" + id;
        byte[] key = masterKey.deriveKey(purpose);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return cipher;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "SealedValues[redacted]";
    }
}
