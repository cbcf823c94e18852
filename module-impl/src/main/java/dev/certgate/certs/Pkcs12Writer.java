package dev.certgate.certs;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a key and its chain as PKCS#12 the way current JDKs and OpenSSL 3 do by default: key and
 * certificates under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), integrity by an HMAC-SHA256 MAC.
 */
final class Pkcs12Writer {
    private static final int ITERATIONS = 10_000;
    private static final AlgorithmIdentifier HMAC_SHA256 =
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);

    private Pkcs12Writer() {
    }

    static byte[] write(PrivateKey key, List<X509Certificate> chain, String alias, char[] password) {
        try {
            X509Certificate leaf = chain.get(0);
            var localKeyId = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(leaf.getPublicKey());
            List<PKCS12SafeBag> certificateBags = new ArrayList<>();
            for (X509Certificate certificate : chain) {
                PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(certificate);
                if (certificate == leaf) {
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
                    bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
                }
                certificateBags.add(bag.build());
            }
            PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(key, encryptor(password));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);

            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            // One encryptor per encryption: each gets its own salt and IV.
            pfx.addEncryptedData(encryptor(password), certificateBags.toArray(new PKCS12SafeBag[0]));
            pfx.addData(keyBag.build());
            return pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
                            .setProvider(Bc.PROVIDER).setIterationCount(ITERATIONS), password)
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException | PKCSException | OperatorCreationException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot write the PKCS#12 key store", e);
        }
    }

    private static OutputEncryptor encryptor(char[] password) throws OperatorCreationException {
        return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                .setProvider(Bc.PROVIDER)
                .setPRF(HMAC_SHA256)
                .setIterationCount(ITERATIONS)
                .build(password);
    }
}
