package dev.certgate.testsupport;

import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.misc.MiscObjectIdentifiers;
import org.bouncycastle.asn1.misc.ScryptParams;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.RC2Engine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.util.ScryptConfig;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.bc.BcPKCS12PBEOutputEncryptorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The file formats people upload, made at test time from {@link TestPki} material: legacy PKCS#12 (what
 * {@code openssl pkcs12 -export -legacy} writes: 3DES key, RC2-40 certificates, SHA-1 MAC) and PEM keys as
 * PKCS#8 (plain or encrypted), PKCS#1 / SEC1 (plain or with OpenSSL's {@code Proc-Type: 4,ENCRYPTED}).
 */
public final class TestKeyFiles {
    private static final Provider BC = new BouncyCastleProvider();

    private TestKeyFiles() {
    }

    /** A legacy PKCS#12 of one key and the whole chain. */
    public static byte[] legacyPkcs12(TestPki.Issued issued, String password) {
        return legacyPkcs12(List.of(issued.privateKey()), issued.chain(), password);
    }

    /** A legacy PKCS#12 of any keys and certificates (to build files with two keys or none). */
    public static byte[] legacyPkcs12(List<PrivateKey> keys, List<X509Certificate> certificates, String password) {
        try {
            char[] secret = password.toCharArray();
            OutputEncryptor tripleDes = new BcPKCS12PBEOutputEncryptorBuilder(
                    PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC, new CBCBlockCipher(new DESedeEngine())).build(secret);
            OutputEncryptor rc2 = new BcPKCS12PBEOutputEncryptorBuilder(
                    PKCSObjectIdentifiers.pbeWithSHAAnd40BitRC2_CBC, new CBCBlockCipher(new RC2Engine())).build(secret);
            List<PKCS12SafeBag> certificateBags = new ArrayList<>();
            for (X509Certificate certificate : certificates) {
                certificateBags.add(new JcaPKCS12SafeBagBuilder(certificate).build());
            }
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(rc2, certificateBags.toArray(new PKCS12SafeBag[0]));
            int n = 0;
            for (PrivateKey key : keys) {
                PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(key, tripleDes);
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("key" + n++));
                pfx.addData(bag.build());
            }
            return pfx.build(new BcPKCS12MacCalculatorBuilder(), secret).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("legacy PKCS#12 generation failed", e);
        }
    }

    /** PEM label "PRIVATE KEY": unencrypted PKCS#8. */
    public static String pkcs8(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM label "ENCRYPTED PRIVATE KEY": PKCS#8 under PBES2/AES-256. */
    public static String encryptedPkcs8(PrivateKey key, String password) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BC).setPassword(password.toCharArray()).build();
            return write(new JcaPKCS8Generator(key, encryptor).generate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * PEM label "ENCRYPTED PRIVATE KEY": PKCS#8 under PBES2 with scrypt and AES-256-CBC, as
     * {@code openssl pkcs8 -topk8 -scrypt} writes (its default: N=16384, r=8, p=1).
     */
    public static String scryptPkcs8(PrivateKey key, String password, int n, int r, int p) {
        try {
            OutputEncryptor encryptor = new JcePKCSPBEOutputEncryptorBuilder(
                    new ScryptConfig.Builder(n, r, p).withSaltLength(16).build(), NISTObjectIdentifiers.id_aes256_CBC)
                    .setProvider(BC).build(password.toCharArray());
            return write(new JcaPKCS8Generator(key, encryptor).generate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * PEM label "ENCRYPTED PRIVATE KEY" whose PBES2 parameters claim scrypt with N, r and p over random bytes:
     * deriving its key would cost what the parameters say, so only a file refused before any derivation can
     * be made this way (and read quickly).
     */
    public static String scryptPkcs8Claiming(int n, int r, int p) {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        byte[] ciphertext = new byte[1232];
        random.nextBytes(salt);
        random.nextBytes(iv);
        random.nextBytes(ciphertext);
        PBES2Parameters pbes2 = new PBES2Parameters(
                new KeyDerivationFunc(MiscObjectIdentifiers.id_scrypt, new ScryptParams(salt, n, r, p, 32)),
                new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv)));
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, pbes2), ciphertext);
        try {
            return write(new PemObject("ENCRYPTED PRIVATE KEY", info.getEncoded()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1), unencrypted. */
    public static String traditional(KeyPair keyPair) {
        return write(openSslForm(keyPair));
    }

    /** PKCS#1 / SEC1 with OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED} and {@code DEK-Info} headers. */
    public static String encryptedTraditional(KeyPair keyPair, String password) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(openSslForm(keyPair), new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).build(password.toCharArray()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** Certificates as PEM, in the order given. */
    public static String certificates(List<X509Certificate> certificates) {
        return TestPki.pem(certificates.toArray());
    }

    public static byte[] ascii(String... parts) {
        return String.join("", parts).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The JDK encodes an EC key without its curve and public key inside the SEC1 structure; OpenSSL writes both,
     * and a SEC1 file without the curve cannot be read at all. Build the structure OpenSSL writes.
     */
    private static Object openSslForm(KeyPair keyPair) {
        if (!(keyPair.getPrivate() instanceof ECPrivateKey ec)) {
            return keyPair;
        }
        AlgorithmIdentifier algorithm = PrivateKeyInfo.getInstance(ec.getEncoded()).getPrivateKeyAlgorithm();
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
        try {
            return new PrivateKeyInfo(algorithm, new org.bouncycastle.asn1.sec.ECPrivateKey(
                    ec.getParams().getOrder().bitLength(), ec.getS(), publicKey.getPublicKeyData(), algorithm.getParameters()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
