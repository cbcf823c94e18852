package dev.certgate.certs;

import dev.certgate.x509.PemText;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads PEM bundles: certificates, and private keys as PKCS#8 (plain or {@code ENCRYPTED PRIVATE KEY}),
 * PKCS#1 or SEC1 (plain or OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED}). Text around the blocks (such as
 * OpenSSL's "Bag Attributes") is ignored, as OpenSSL itself does.
 */
final class PemBundleReader {
    private PemBundleReader() {
    }

    /** True when the data holds a PEM block anywhere (ISO-8859-1 maps every byte, so binary data is safe). */
    static boolean isPem(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    static FileContent read(byte[] data, char[] password) {
        List<PrivateKey> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter certificateConverter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(PemText.reader(data))) {
            for (Object block = next(parser); block != null; block = next(parser)) {
                if (block instanceof X509CertificateHolder holder) {
                    certificates.add(certificateConverter.getCertificate(holder));
                } else if (block instanceof PrivateKeyInfo info) {
                    keys.add(PrivateKeys.toJdk(info));
                } else if (block instanceof PEMKeyPair pair) {
                    keys.add(PrivateKeys.toJdk(pair.getPrivateKeyInfo()));
                } else if (block instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    keys.add(PrivateKeys.toJdk(decrypt(encrypted, password)));
                } else if (block instanceof PEMEncryptedKeyPair encrypted) {
                    keys.add(PrivateKeys.toJdk(decrypt(encrypted, password)));
                } else if (!(block instanceof ASN1ObjectIdentifier || block instanceof X9ECParameters)) {
                    // EC PARAMETERS blocks (openssl ecparam -genkey) are harmless; anything else is not ours.
                    throw ImportFailure.MALFORMED_PEM.exception();
                }
            }
        } catch (IOException | CertificateException e) {
            throw ImportFailure.MALFORMED_PEM.exception(e);
        }
        return new FileContent(keys, certificates);
    }

    private static Object next(PEMParser parser) {
        try {
            return parser.readObject();
        } catch (IOException | RuntimeException e) {
            // Unknown block types and bad Base64 land here; BC's message may quote the block's label.
            throw ImportFailure.MALFORMED_PEM.exception(e);
        }
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password) {
        // Limits first: a file refused for its cost should not first ask for a password.
        PbeLimits.check(encrypted.getEncryptionAlgorithm());
        requirePassword(password);
        try {
            return encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            throw ImportFailure.WRONG_PASSWORD.exception(e);
        }
    }

    private static PrivateKeyInfo decrypt(PEMEncryptedKeyPair encrypted, char[] password) {
        requirePassword(password);
        try {
            return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password))
                    .getPrivateKeyInfo();
        } catch (IOException | RuntimeException e) {
            // A wrong password shows as bad padding or, rarely, as padding that fits around garbage.
            throw ImportFailure.WRONG_PASSWORD.exception(e);
        }
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length == 0) {
            throw ImportFailure.PASSWORD_REQUIRED.exception();
        }
    }
}
