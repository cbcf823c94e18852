package dev.certgate.x509;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Reads one CA certificate from PEM or DER and refuses anything that carries a private key: authorities
 * are public and live in {@code config/}, which may be kept in Git. The one rule for an upload and for an
 * {@code authority.pem} edited by hand.
 */
public final class AuthorityCertificates {
    private static final List<String> CERTIFICATE_TYPES = List.of("CERTIFICATE", "X509 CERTIFICATE");
    private static final List<Function<byte[], Object>> KEY_STRUCTURES = List.of(PrivateKeyInfo::getInstance,
            EncryptedPrivateKeyInfo::getInstance, RSAPrivateKey::getInstance, ECPrivateKey::getInstance);

    private AuthorityCertificates() {
    }

    /** The one certificate in {@code data} (PEM or DER); a 400 naming the problem otherwise. */
    public static X509Certificate parse(byte[] data) {
        if (data == null || data.length == 0) {
            throw refused("NotACertificate", "The data is empty: expected one CA certificate as PEM or DER");
        }
        List<byte[]> encodings = isPem(data) ? pemCertificates(data) : List.of(data);
        if (encodings.isEmpty()) {
            throw refused("NotACertificate", "The PEM data holds no certificate");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (byte[] encoding : encodings) {
            certificates.addAll(certificates(encoding));
        }
        if (certificates.size() != 1) {
            throw refused("MultipleCertificates", "The data holds " + certificates.size()
                    + " certificates; upload each CA certificate as its own authority");
        }
        return certificates.get(0);
    }

    /** The certificate as a PEM text file, the form stored in {@code authority.pem}. */
    public static byte[] pem(X509Certificate certificate) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate always re-encodes", e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isPem(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    private static List<byte[]> pemCertificates(byte[] data) {
        List<byte[]> encodings = new ArrayList<>();
        for (PemObject block : pemBlocks(data)) {
            if (block.getType().endsWith("PRIVATE KEY")) {
                throw carriesKey();
            }
            if (!CERTIFICATE_TYPES.contains(block.getType())) {
                throw refused("NotACertificate", "The PEM data holds a block that is not a certificate");
            }
            encodings.add(block.getContent());
        }
        return encodings;
    }

    private static List<PemObject> pemBlocks(byte[] data) {
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(PemText.reader(data))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // unbalanced markers or bad Base64
            throw refused("NotACertificate", "The PEM data is malformed");
        }
        return blocks;
    }

    private static List<X509Certificate> certificates(byte[] der) {
        try {
            Collection<? extends Certificate> parsed =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(der));
            if (!parsed.isEmpty()) {
                return parsed.stream().map(X509Certificate.class::cast).toList();
            }
        } catch (CertificateException | RuntimeException e) {
            // not a certificate: find out whether it is a key, to say so
        }
        if (isKeyOrKeyStore(der)) {
            throw carriesKey();
        }
        throw refused("NotACertificate", "The data is not a certificate: expected one CA certificate as PEM or DER");
    }

    private static boolean isKeyOrKeyStore(byte[] der) {
        if (isPkcs12(der)) {
            return true;
        }
        for (Function<byte[], Object> structure : KEY_STRUCTURES) {
            try {
                structure.apply(der);
                return true;
            } catch (RuntimeException e) {
                // not this structure
            }
        }
        return false;
    }

    private static boolean isPkcs12(byte[] der) {
        try {
            new PKCS12PfxPdu(der).getContentInfos();
            return true;
        } catch (Exception e) {
            return false; // Bouncy Castle reports "not a PFX" as IOException, IllegalArgumentException or ClassCastException
        }
    }

    private static CertgateException carriesKey() {
        return refused("PrivateKeyNotAllowed",
                "The file carries a private key; an authority is a public CA certificate only (config/ holds no secrets)");
    }

    private static CertgateException refused(String code, String message) {
        return new CertgateException(ErrorCode.VALIDATION_ERROR, message, List.of(new ErrorDetail(code, "data", message)));
    }
}
