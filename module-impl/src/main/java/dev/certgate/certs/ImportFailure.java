package dev.certgate.certs;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;

import java.util.List;

/**
 * The reasons an uploaded file is refused, each a 400 whose message says which. Messages name the problem
 * only: never a password, never file content, never a PEM label (they read "... PRIVATE KEY").
 */
enum ImportFailure {
    WRONG_PASSWORD("WrongPassword", "password", "The password is wrong: it does not decrypt the file"),
    PASSWORD_REQUIRED("PasswordRequired", "password",
            "The file is password-protected: give its password in 'password'"),
    EMPTY_PASSWORD_UNSUPPORTED("UnsupportedEncryption", "password", "The file's password is empty, and its "
            + "PBES2 encryption cannot be opened with an empty password: re-export it with a password and give it in "
            + "'password'"),
    NO_PRIVATE_KEY("NoPrivateKey", "data",
            "The file contains no private key: upload a PFX or PEM that holds the certificate and its private key"),
    SEVERAL_PRIVATE_KEYS("MultiplePrivateKeys", "data",
            "The file contains more than one private key: upload one certificate with its own key"),
    KEY_MISMATCH("KeyMismatch", "data", "The private key does not match the certificate"),
    NO_CERTIFICATE("NotACertificate", "data", "The file contains a private key but no certificate"),
    NOT_A_CERTIFICATE("NotACertificate", "data",
            "The data is not a certificate: expected a PKCS#12 (PFX) file or PEM with a certificate and a private key"),
    MALFORMED_PEM("NotACertificate", "data",
            "The PEM data is malformed or holds a block that is neither a certificate nor a key"),
    MALFORMED_PKCS12("NotACertificate", "data", "The PKCS#12 (PFX) file is malformed or uses an unsupported algorithm"),
    /** Thrown with a detail naming the parameter and its bound (see {@link PbeLimits}). */
    EXCESSIVE_COST("UnsupportedEncryption", "data",
            "The file's password-based encryption asks for more work or memory than is accepted"),
    MALFORMED_ENCRYPTION("UnsupportedEncryption", "data",
            "The file's password-based encryption parameters are malformed or unsupported"),
    MALFORMED_KEY("NotACertificate", "data", "The private key is malformed"),
    UNSUPPORTED_KEY("UnsupportedKey", "data", "The private key's algorithm is not supported (use RSA, EC or EdDSA)"),
    UNSUPPORTED_CURVE("UnsupportedKey", "data", "The private key cannot sign here: its elliptic curve is not one Java's"
            + " TLS supports (secp256k1 and the brainpool curves are not); use P-256, P-384 or P-521, RSA or Ed25519");

    private final String code;
    private final String target;
    private final String message;

    ImportFailure(String code, String target, String message) {
        this.code = code;
        this.target = target;
        this.message = message;
    }

    CertgateException exception() {
        return new CertgateException(ErrorCode.VALIDATION_ERROR, message, List.of(new ErrorDetail(code, target, message)));
    }

    /**
     * This failure, its message followed by a detail that names the values at fault: parameters such as an
     * iteration count, never a password or key material.
     */
    CertgateException exception(String detail) {
        String specific = message + ": " + detail;
        return new CertgateException(ErrorCode.VALIDATION_ERROR, specific,
                List.of(new ErrorDetail(code, target, specific)));
    }

    /** Keeps the cause's type for the log (its message may quote data) but never its text in the answer. */
    CertgateException exception(Throwable cause) {
        return new CertgateException(ErrorCode.VALIDATION_ERROR, message, List.of(new ErrorDetail(code, target, message)),
                cause);
    }
}
