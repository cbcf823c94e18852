package dev.certgate.certs;

import org.bouncycastle.pkcs.PKCS12PfxPdu;

import java.io.ByteArrayInputStream;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Turns an uploaded file into one private key and its chain. PFX/PKCS#12 and PEM are told apart by
 * content, not by name. Every refusal is a CertgateException VALIDATION_ERROR saying which problem it is.
 */
final class CertificateImporter {
    private CertificateImporter() {
    }

    /** {@code password} may be null or empty for unencrypted PEM. */
    static ImportedCertificate importFile(byte[] data, char[] password) {
        char[] secret = password == null ? new char[0] : password;
        if (data == null || data.length == 0) {
            throw ImportFailure.NOT_A_CERTIFICATE.exception();
        }
        Optional<PKCS12PfxPdu> pfx = Pkcs12Reader.parse(data);
        if (pfx.isPresent()) {
            return check(Pkcs12Reader.read(pfx.get(), secret));
        }
        if (PemBundleReader.isPem(data)) {
            return check(PemBundleReader.read(data, secret));
        }
        if (isDerCertificate(data)) {
            throw ImportFailure.NO_PRIVATE_KEY.exception();
        }
        throw ImportFailure.NOT_A_CERTIFICATE.exception();
    }

    /** Reads a key store this service wrote (PKCS#12 under a derived password). */
    static ImportedCertificate readPkcs12(byte[] data, char[] password) {
        return check(Pkcs12Reader.read(Pkcs12Reader.parse(data)
                .orElseThrow(ImportFailure.MALFORMED_PKCS12::exception), password));
    }

    private static ImportedCertificate check(FileContent content) {
        // A PFX may list the same key or certificate twice (under two aliases); JDK keys and certificates
        // are equal when their encodings are.
        List<PrivateKey> keys = content.keys().stream().distinct().toList();
        List<X509Certificate> certificates = content.certificates().stream().distinct().toList();
        if (keys.isEmpty()) {
            throw ImportFailure.NO_PRIVATE_KEY.exception();
        }
        if (keys.size() > 1) {
            throw ImportFailure.SEVERAL_PRIVATE_KEYS.exception();
        }
        if (certificates.isEmpty()) {
            throw ImportFailure.NO_CERTIFICATE.exception();
        }
        PrivateKey key = keys.get(0);
        X509Certificate leaf = certificates.stream()
                .filter(certificate -> PrivateKeys.matches(key, certificate.getPublicKey()))
                .findFirst()
                .orElseThrow(ImportFailure.KEY_MISMATCH::exception);
        ChainOrder.Ordered ordered = ChainOrder.from(leaf, certificates);
        return new ImportedCertificate(key, ordered.chain(), ordered.leftOut());
    }

    private static boolean isDerCertificate(byte[] data) {
        try {
            CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(data));
            return true;
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }
}
