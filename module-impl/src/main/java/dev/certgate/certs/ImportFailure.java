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
    PASSWORD_REQUIRED("WrongPassword", "password", "The private key is encrypted: a password is required"),
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
    EXCESSIVE_COST("UnsupportedEncryption", "data", "The file's encryption asks for more than "
            + "1,000,000 iterations (or an equally costly scrypt setting); re-export it with usual settings"),
    MALFORMED_KEY("NotACertificate", "data", "The private key is malformed"),
    UNSUPPORTED_KEY("UnsupportedKey", "data", "The private key's algorithm is not supported (use RSA, EC or EdDSA)");

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

    /** Keeps the cause's type for the log (its message may quote data) but never its text in the answer. */
    CertgateException exception(Throwable cause) {
        return new CertgateException(ErrorCode.VALIDATION_ERROR, message, List.of(new ErrorDetail(code, target, message)),
                cause);
    }
}
