package dev.certgate.certs;

import dev.certgate.config.HomeLayout;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/** The 32-byte master key from which key-store passwords are derived. */
public final class MasterKey {
    /** Environment variable naming a master key file kept elsewhere (a mounted secret, say). */
    public static final String FILE_VARIABLE = "CERTGATE_MASTER_KEY_FILE";
    static final int LENGTH = 32;
    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    private static final byte[] LABEL = "certgate/".getBytes(StandardCharsets.UTF_8);

    private final byte[] key;

    private MasterKey(byte[] key) {
        this.key = key;
    }

    /**
     * Loads {@code CERTGATE_MASTER_KEY_FILE} (from {@code environment}) or {@code secrets/master.key},
     * generating the latter on first start; refuses secrets with wider than owner-only permissions.
     */
    public static MasterKey loadOrCreate(HomeLayout layout, Map<String, String> environment) {
        SecretFiles.createDirectory(layout.secretsDir());
        SecretFiles.createDirectory(layout.secretCertificatesDir());
        String named = environment.get(FILE_VARIABLE);
        Path file = named == null || named.isBlank() ? layout.masterKey() : Path.of(named).toAbsolutePath();
        if (file.equals(layout.masterKey())) {
            SecretFiles.requireOwnerOnly(layout.secretsDir());
            createIfMissing(file);
        } else if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(FILE_VARIABLE + " names " + file + ", which is not a readable file");
        } else {
            SecretFiles.requireOwnerOnly(layout.secretsDir(), file);
        }
        return new MasterKey(read(file));
    }

    /** A password for one purpose (e.g. the key store of certificate id X), derived with HKDF-SHA256. */
    public char[] derivePassword(String purpose) {
        byte[] derived = deriveKey(purpose);
        // Hex keeps the password ASCII, so PKCS#12's BMPString and PBKDF2's UTF-8 encodings agree on it.
        char[] password = HexFormat.of().formatHex(derived).toCharArray();
        Arrays.fill(derived, (byte) 0);
        return password;
    }

    /** A 32-byte key for one purpose, derived with HKDF-SHA256; the caller clears it after use. */
    byte[] deriveKey(String purpose) {
        byte[] info = Arrays.concatenate(LABEL, purpose.getBytes(StandardCharsets.UTF_8));
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(key, null, info));
        byte[] derived = new byte[LENGTH];
        hkdf.generateBytes(derived, 0, derived.length);
        return derived;
    }

    private static void createIfMissing(Path file) {
        if (Files.exists(file)) {
            return;
        }
        byte[] fresh = new byte[LENGTH];
        new SecureRandom().nextBytes(fresh);
        if (SecretFiles.createFile(file, fresh)) {
            LOG.info("Generated a new master key in {}; keep a copy: certificates stored under it cannot be read without it",
                    file);
        }
        Arrays.fill(fresh, (byte) 0);
    }

    private static byte[] read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the master key file " + file, e);
        }
        if (bytes.length != LENGTH) {
            Arrays.fill(bytes, (byte) 0);
            throw new IllegalStateException("The master key file " + file + " must hold exactly " + LENGTH
                    + " bytes (create one with: head -c " + LENGTH + " /dev/urandom > " + file + ")");
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
