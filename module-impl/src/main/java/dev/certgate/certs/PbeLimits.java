package dev.certgate.certs;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.misc.ScryptParams;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PBMAC1Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.math.BigInteger;

/**
 * Bounds the work and memory a file may ask for, read from its ASN.1 before any key is derived: a PFX or
 * encrypted key whose parameters say "two billion iterations" would hold a thread for hours, and scrypt
 * parameters that need gigabytes would run the gateway out of memory. The bounds, and what tools write:
 * <ul>
 * <li>iterations (PKCS#12 MAC, PKCS#12 and PKCS#5 v1 PBE, PBKDF2): at most 1,000,000. OpenSSL writes 2,048,
 * Java and Windows 10,000; OWASP advises 600,000 for PBKDF2-HMAC-SHA256. A million take about 0.6 s here.</li>
 * <li>PBKDF2 key length: at most 64 bytes (HMAC-SHA512's key; AES-256 takes 32). PBMAC1 derives as many bytes
 * as the file says, so a huge length multiplies the work.</li>
 * <li>scrypt memory, N·r·128 bytes: at most 64 MiB. OpenSSL's {@code -scrypt} default (N=16384, r=8, p=1)
 * needs 16 MiB; Go's recommended N=32768 needs 32 MiB.</li>
 * <li>scrypt work, N·r·p: at most 2^20 (N=65536 r=8 p=2, or N=16384 r=8 p=8), again about 0.6 s; OpenSSL's
 * default is 2^17.</li>
 * </ul>
 */
final class PbeLimits {
    static final long MAX_ITERATIONS = 1_000_000;
    static final long MAX_KEY_LENGTH = 64;
    static final long MAX_SCRYPT_MEMORY = 64L << 20;
    static final long MAX_SCRYPT_WORK = 1L << 20;

    private PbeLimits() {
    }

    /** Checks a PKCS#12 MAC: its iteration count, or for PBMAC1 (RFC 9579) its key derivation. */
    static void checkMac(MacData mac) {
        try {
            AlgorithmIdentifier algorithm = mac.getMac().getAlgorithmId();
            if (PKCSObjectIdentifiers.id_PBMAC1.equals(algorithm.getAlgorithm())) {
                // RFC 9579: MacData's own iteration count is ignored; PBKDF2's parameters say the cost.
                AlgorithmIdentifier kdf = PBMAC1Params.getInstance(present(algorithm.getParameters()))
                        .getKeyDerivationFunc();
                checkKdf("MAC", kdf.getAlgorithm(), kdf.getParameters());
            } else {
                checkIterations("MAC", mac.getIterationCount());
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            throw ImportFailure.MALFORMED_ENCRYPTION.exception(e);
        }
    }

    /** Checks a password-based encryption scheme: PBES2 (PBKDF2 or scrypt), PKCS#12 or PKCS#5 v1 PBE. */
    static void check(AlgorithmIdentifier encryption) {
        try {
            ASN1ObjectIdentifier scheme = encryption.getAlgorithm();
            if (PKCSObjectIdentifiers.id_PBES2.equals(scheme)) {
                KeyDerivationFunc kdf = PBES2Parameters.getInstance(present(encryption.getParameters()))
                        .getKeyDerivationFunc();
                checkKdf("encryption", kdf.getAlgorithm(), kdf.getParameters());
            } else if (encryption.getParameters() != null) {
                // PKCS#12 and PKCS#5 v1 schemes share the shape SEQUENCE { salt, iterations }.
                checkIterations("encryption", PKCS12PBEParams.getInstance(encryption.getParameters()).getIterations());
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            throw ImportFailure.MALFORMED_ENCRYPTION.exception(e);
        }
    }

    private static void checkKdf(String use, ASN1ObjectIdentifier algorithm, ASN1Encodable parameters) {
        if (MiscObjectIdentifiers.id_scrypt.equals(algorithm)) {
            checkScrypt(use, ScryptParams.getInstance(present(parameters)));
        } else {
            PBKDF2Params pbkdf2 = PBKDF2Params.getInstance(present(parameters));
            checkIterations(use + " (PBKDF2)", pbkdf2.getIterationCount());
            BigInteger keyLength = pbkdf2.getKeyLength();
            if (keyLength != null && keyLength.compareTo(BigInteger.valueOf(MAX_KEY_LENGTH)) > 0) {
                throw excessive("its " + use + " asks PBKDF2 for a key of " + keyLength + " bytes; at most "
                        + MAX_KEY_LENGTH + " are accepted");
            }
        }
    }

    private static void checkIterations(String use, BigInteger iterations) {
        if (iterations != null && iterations.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw excessive("its " + use + " asks for " + iterations + " iterations; at most " + MAX_ITERATIONS
                    + " are accepted");
        }
    }

    private static void checkScrypt(String use, ScryptParams params) {
        BigInteger n = params.getCostParameter();
        BigInteger r = params.getBlockSize();
        BigInteger p = params.getParallelizationParameter();
        String setting = "its " + use + " uses scrypt N=" + n + " r=" + r;
        if (n.compareTo(BigInteger.ONE) <= 0 || n.bitCount() != 1 || r.signum() <= 0 || p.signum() <= 0) {
            // Bouncy Castle would refuse these too, but as a wrong password.
            throw ImportFailure.MALFORMED_ENCRYPTION.exception(setting + " p=" + p
                    + ", but N must be a power of 2 greater than 1 and r and p must be positive");
        }
        BigInteger memory = n.multiply(r).shiftLeft(7);
        if (memory.compareTo(BigInteger.valueOf(MAX_SCRYPT_MEMORY)) > 0) {
            throw excessive(setting + ", which needs " + binarySize(memory) + " of memory; at most "
                    + binarySize(BigInteger.valueOf(MAX_SCRYPT_MEMORY)) + " is accepted");
        }
        BigInteger work = n.multiply(r).multiply(p);
        if (work.compareTo(BigInteger.valueOf(MAX_SCRYPT_WORK)) > 0) {
            throw excessive(setting + " p=" + p + ", which asks for N*r*p = " + work + "; at most "
                    + MAX_SCRYPT_WORK + " is accepted");
        }
    }

    /** Bouncy Castle's {@code getInstance(null)} answers null: absent parameters are malformed ones. */
    private static ASN1Encodable present(ASN1Encodable parameters) {
        if (parameters == null) {
            throw ImportFailure.MALFORMED_ENCRYPTION.exception();
        }
        return parameters;
    }

    private static RuntimeException excessive(String detail) {
        return ImportFailure.EXCESSIVE_COST.exception(detail
                + ". Re-export the file with usual settings (OpenSSL's defaults are accepted)");
    }

    /** "1 GiB", "64 MiB", rounded up to whole MiB below 1 GiB. */
    private static String binarySize(BigInteger bytes) {
        BigInteger mib = BigInteger.ONE.shiftLeft(20);
        BigInteger gib = BigInteger.ONE.shiftLeft(30);
        if (bytes.compareTo(gib) >= 0 && bytes.mod(gib).signum() == 0) {
            return bytes.shiftRight(30) + " GiB";
        }
        return bytes.add(mib).subtract(BigInteger.ONE).divide(mib) + " MiB";
    }
}
