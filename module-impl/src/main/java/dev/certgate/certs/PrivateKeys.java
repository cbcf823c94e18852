package dev.certgate.certs;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Map;

/** Private keys as the JDK's own objects (what JSSE signs with), and whether one belongs to a public key. */
final class PrivateKeys {
    private static final byte[] PROBE = "certgate key pair check".getBytes(StandardCharsets.US_ASCII);

    private static final Map<ASN1ObjectIdentifier, String> JDK_NAMES = Map.of(
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS",
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            EdECObjectIdentifiers.id_Ed448, "Ed448",
            X9ObjectIdentifiers.id_dsa, "DSA");

    private PrivateKeys() {
    }

    /** The JDK key for a PKCS#8 structure (the JDK's KeyFactory knows EC only by name, not by OID). */
    static PrivateKey toJdk(PrivateKeyInfo info) {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            return KeyFactory.getInstance(JDK_NAMES.getOrDefault(oid, oid.getId())).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw ImportFailure.UNSUPPORTED_KEY.exception(e);
        } catch (InvalidKeySpecException | IOException e) {
            throw ImportFailure.MALFORMED_KEY.exception(e);
        }
    }

    /**
     * RSA keys match when their moduli are equal; other keys sign a probe that the public key must verify,
     * which works for EC and EdDSA without deriving points.
     */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (privateKey instanceof RSAKey rsaPrivate) {
            return publicKey instanceof RSAKey rsaPublic && rsaPrivate.getModulus().equals(rsaPublic.getModulus());
        }
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> throw ImportFailure.UNSUPPORTED_KEY.exception();
        };
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(PROBE);
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            // The key itself cannot sign here (an EC curve the JDK has no TLS support for, as secp256k1 or a
            // brainpool one): no certificate could be presented with it, whichever it belongs to.
            throw ImportFailure.UNSUPPORTED_CURVE.exception(e);
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // different curves, or a public key the JDK cannot use for this algorithm: not this certificate's key
            return false;
        }
    }
}
