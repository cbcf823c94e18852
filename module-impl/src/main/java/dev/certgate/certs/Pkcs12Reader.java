package dev.certgate.certs;

import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads PKCS#12 files, modern (PBES2/AES, HMAC-SHA256 MAC) and legacy (RC2/3DES, SHA-1 MAC) alike: the MAC
 * decides "wrong password" before anything is decrypted; files without a MAC fail on decryption instead.
 */
final class Pkcs12Reader {
    /** What the MAC said of the password. */
    private enum Mac { NONE, VALID, VALID_FOR_OPENSSL_EMPTY_PASSWORD }

    private Pkcs12Reader() {
    }

    /** The file as a PFX structure, or empty when it is not one (the caller then tries other formats). */
    static Optional<PKCS12PfxPdu> parse(byte[] data) {
        try {
            PKCS12PfxPdu pfx = new PKCS12PfxPdu(data);
            pfx.getContentInfos();
            return Optional.of(pfx);
        } catch (Exception e) {
            // Any parse failure means "not a PFX": BC throws IOException or IllegalArgumentException/ClassCast.
            return Optional.empty();
        }
    }

    static FileContent read(PKCS12PfxPdu pfx, char[] password) {
        Mac mac = verifyMac(pfx, password);
        InputDecryptorProvider decryptor = new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(Bc.PROVIDER)
                .setTryWrongPKCS12Zero(mac == Mac.VALID_FOR_OPENSSL_EMPTY_PASSWORD).build(password);
        List<PrivateKey> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter certificateConverter = new JcaX509CertificateConverter();
        for (ContentInfo info : pfx.getContentInfos()) {
            for (PKCS12SafeBag bag : safeBags(info, decryptor, password, mac)) {
                Object value = bag.getBagValue();
                try {
                    if (value instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                        PbeLimits.check(encrypted.getEncryptionAlgorithm());
                        keys.add(PrivateKeys.toJdk(encrypted.decryptPrivateKeyInfo(decryptor)));
                    } else if (value instanceof PrivateKeyInfo plain) {
                        keys.add(PrivateKeys.toJdk(plain));
                    } else if (value instanceof X509CertificateHolder holder) {
                        certificates.add(certificateConverter.getCertificate(holder));
                    }
                    // CRL and secret bags carry nothing a client certificate needs.
                } catch (PKCSException e) {
                    throw passwordRefused(password, mac, e);
                } catch (GeneralSecurityException e) {
                    throw ImportFailure.MALFORMED_PKCS12.exception(e);
                }
            }
        }
        return new FileContent(keys, certificates);
    }

    /**
     * Checks the MAC. PKCS#12 turns a password into UTF-16 with a two-byte terminator, which OpenSSL keeps for
     * "" ({@code -passout pass:}) and Bouncy Castle drops; "\0" derives the same key as OpenSSL's form (the
     * derivation repeats the bytes to fill a block), so a file without a password is tried both ways.
     */
    private static Mac verifyMac(PKCS12PfxPdu pfx, char[] password) {
        if (!pfx.hasMac()) {
            return Mac.NONE;
        }
        PbeLimits.checkMac(pfx.toASN1Structure().getMacData());
        if (isMacValid(pfx, password)) {
            return Mac.VALID;
        }
        if (password.length == 0 && isMacValid(pfx, new char[] {'\0'})) {
            return Mac.VALID_FOR_OPENSSL_EMPTY_PASSWORD;
        }
        throw passwordRefused(password, Mac.NONE, null);
    }

    private static boolean isMacValid(PKCS12PfxPdu pfx, char[] password) {
        try {
            return pfx.isMacValid(new JcePKCS12MacCalculatorBuilderProvider().setProvider(Bc.PROVIDER), password);
        } catch (PKCSException | RuntimeException e) {
            throw ImportFailure.MALFORMED_PKCS12.exception(e);
        }
    }

    /**
     * With a password, it is the wrong one. Without, the file needs one, unless its MAC proved its password
     * empty: then only Bouncy Castle's PBKDF2 is at fault, which refuses an empty password.
     */
    private static RuntimeException passwordRefused(char[] password, Mac mac, Exception cause) {
        ImportFailure failure = password.length > 0 ? ImportFailure.WRONG_PASSWORD
                : mac == Mac.NONE ? ImportFailure.PASSWORD_REQUIRED : ImportFailure.EMPTY_PASSWORD_UNSUPPORTED;
        return cause == null ? failure.exception() : failure.exception(cause);
    }

    private static PKCS12SafeBag[] safeBags(ContentInfo info, InputDecryptorProvider decryptor, char[] password,
                                            Mac mac) {
        boolean encrypted = PKCSObjectIdentifiers.encryptedData.equals(info.getContentType());
        if (encrypted) {
            PbeLimits.check(encryptedDataAlgorithm(info));
        }
        try {
            return (encrypted ? new PKCS12SafeBagFactory(info, decryptor) : new PKCS12SafeBagFactory(info)).getSafeBags();
        } catch (PKCSException e) {
            throw passwordRefused(password, mac, e);
        } catch (RuntimeException e) {
            throw ImportFailure.MALFORMED_PKCS12.exception(e);
        }
    }

    private static AlgorithmIdentifier encryptedDataAlgorithm(ContentInfo info) {
        try {
            return EncryptedData.getInstance(info.getContent()).getEncryptionAlgorithm();
        } catch (RuntimeException e) {
            throw ImportFailure.MALFORMED_PKCS12.exception(e);
        }
    }
}
