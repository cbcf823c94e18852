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
        verifyMac(pfx, password);
        InputDecryptorProvider decryptor = new JcePKCSPBEInputDecryptorProviderBuilder()
                .setProvider(Bc.PROVIDER).build(password);
        List<PrivateKey> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter certificateConverter = new JcaX509CertificateConverter();
        for (ContentInfo info : pfx.getContentInfos()) {
            for (PKCS12SafeBag bag : safeBags(info, decryptor)) {
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
                    throw ImportFailure.WRONG_PASSWORD.exception(e);
                } catch (GeneralSecurityException e) {
                    throw ImportFailure.MALFORMED_PKCS12.exception(e);
                }
            }
        }
        return new FileContent(keys, certificates);
    }

    private static void verifyMac(PKCS12PfxPdu pfx, char[] password) {
        if (!pfx.hasMac()) {
            return;
        }
        PbeLimits.checkIterations(pfx.toASN1Structure().getMacData().getIterationCount());
        boolean valid;
        try {
            valid = pfx.isMacValid(new JcePKCS12MacCalculatorBuilderProvider().setProvider(Bc.PROVIDER), password);
        } catch (PKCSException | RuntimeException e) {
            throw ImportFailure.MALFORMED_PKCS12.exception(e);
        }
        if (!valid) {
            throw ImportFailure.WRONG_PASSWORD.exception();
        }
    }

    private static PKCS12SafeBag[] safeBags(ContentInfo info, InputDecryptorProvider decryptor) {
        boolean encrypted = PKCSObjectIdentifiers.encryptedData.equals(info.getContentType());
        if (encrypted) {
            PbeLimits.check(encryptedDataAlgorithm(info));
        }
        try {
            return (encrypted ? new PKCS12SafeBagFactory(info, decryptor) : new PKCS12SafeBagFactory(info)).getSafeBags();
        } catch (PKCSException e) {
            throw ImportFailure.WRONG_PASSWORD.exception(e);
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
