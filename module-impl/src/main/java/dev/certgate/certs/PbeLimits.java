package dev.certgate.certs;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.misc.ScryptParams;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.math.BigInteger;

/**
 * Bounds the work a file may ask for before a password is tried: a PFX or encrypted key whose parameters say
 * "two billion iterations" (or a huge scrypt cost) would otherwise hold a thread for hours. Real tools use
 * 2,048 to 600,000 iterations.
 */
final class PbeLimits {
    static final BigInteger MAX_ITERATIONS = BigInteger.valueOf(1_000_000);
    private static final BigInteger MAX_SCRYPT_COST = BigInteger.valueOf(1 << 20);
    private static final BigInteger MAX_SCRYPT_BLOCK_SIZE = BigInteger.valueOf(32);
    private static final BigInteger MAX_SCRYPT_PARALLELISM = BigInteger.valueOf(16);

    private PbeLimits() {
    }

    /** Checks a MAC's or cipher's iteration count. */
    static void checkIterations(BigInteger iterations) {
        if (iterations != null && iterations.compareTo(MAX_ITERATIONS) > 0) {
            throw ImportFailure.EXCESSIVE_COST.exception();
        }
    }

    /** Checks a password-based encryption scheme: PBES2 (PBKDF2 or scrypt), PKCS#12 or PKCS#5 v1 PBE. */
    static void check(AlgorithmIdentifier encryption) {
        try {
            ASN1ObjectIdentifier scheme = encryption.getAlgorithm();
            if (PKCSObjectIdentifiers.id_PBES2.equals(scheme)) {
                KeyDerivationFunc kdf = PBES2Parameters.getInstance(encryption.getParameters()).getKeyDerivationFunc();
                if (MiscObjectIdentifiers.id_scrypt.equals(kdf.getAlgorithm())) {
                    checkScrypt(ScryptParams.getInstance(kdf.getParameters()));
                } else {
                    checkIterations(PBKDF2Params.getInstance(kdf.getParameters()).getIterationCount());
                }
            } else if (encryption.getParameters() != null) {
                // PKCS#12 and PKCS#5 v1 schemes share the shape SEQUENCE { salt, iterations }.
                checkIterations(PKCS12PBEParams.getInstance(encryption.getParameters()).getIterations());
            }
        } catch (IllegalArgumentException | ClassCastException e) {
            throw ImportFailure.MALFORMED_PKCS12.exception(e);
        }
    }

    private static void checkScrypt(ScryptParams params) {
        if (params.getCostParameter().compareTo(MAX_SCRYPT_COST) > 0
                || params.getBlockSize().compareTo(MAX_SCRYPT_BLOCK_SIZE) > 0
                || params.getParallelizationParameter().compareTo(MAX_SCRYPT_PARALLELISM) > 0) {
            throw ImportFailure.EXCESSIVE_COST.exception();
        }
    }
}
