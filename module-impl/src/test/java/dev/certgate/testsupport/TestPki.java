package dev.certgate.testsupport;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made at test time with Bouncy Castle: a CA, server certificates with SANs, client
 * certificates, and their PKCS#12 / PEM encodings. Nothing here is ever committed as a file.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair and its certificate chain, leaf first. */
    public record Issued(KeyPair keyPair, List<X509Certificate> chain) {
        public X509Certificate certificate() {
            return chain.get(0);
        }

        public PrivateKey privateKey() {
            return keyPair.getPrivate();
        }

        /** A PKCS#12 (the JDK's modern AES/PBES2 encoding) holding the key and the whole chain. */
        public byte[] pkcs12(String password) {
            return TestPki.pkcs12(privateKey(), chain, password);
        }

        /** The chain as PEM, leaf first, followed by the unencrypted PKCS#8 private key. */
        public String pem() {
            return TestPki.pem(chain.toArray()) + TestPki.pem(privateKey());
        }

        /** A KeyStore (PKCS12, in memory) for servers and JDK clients. */
        public KeyStore keyStore(String password) {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("key", privateKey(), password.toCharArray(), chain.toArray(new Certificate[0]));
                return ks;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Options for one certificate; the defaults make a valid RSA certificate for a year. */
    public static final class Spec {
        String subject = "CN=test";
        String keyType = "RSA";
        Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        Instant notAfter = Instant.now().plus(Duration.ofDays(365));
        List<GeneralName> sans = new ArrayList<>();
        KeyPurposeId[] extendedKeyUsage;
        boolean ca;

        public Spec subject(String dn) { this.subject = dn; return this; }
        public Spec ec() { this.keyType = "EC"; return this; }
        public Spec ed25519() { this.keyType = "Ed25519"; return this; }
        public Spec validity(Instant from, Instant to) { this.notBefore = from; this.notAfter = to; return this; }
        public Spec dns(String... names) {
            for (String n : names) { sans.add(new GeneralName(GeneralName.dNSName, n)); }
            return this;
        }
        public Spec ip(String... addresses) {
            for (String a : addresses) { sans.add(new GeneralName(GeneralName.iPAddress, a)); }
            return this;
        }
        public Spec clientAuth() { this.extendedKeyUsage = new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}; return this; }
        public Spec serverAuth() { this.extendedKeyUsage = new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth}; return this; }
        public Spec extendedKeyUsage(KeyPurposeId... ids) { this.extendedKeyUsage = ids; return this; }
        public Spec ca() { this.ca = true; return this; }
    }

    private TestPki() {
    }

    public static Spec spec() {
        return new Spec();
    }

    /** A self-signed CA. */
    public static Issued ca(String subject) {
        return selfSigned(spec().subject(subject).ca());
    }

    public static Issued selfSigned(Spec spec) {
        KeyPair keys = keyPair(spec.keyType);
        X509Certificate cert = build(spec, keys, keys.getPrivate(), new X500Name(spec.subject), null);
        return new Issued(keys, List.of(cert));
    }

    /** A certificate signed by {@code issuer}; the chain is leaf + issuer's chain. */
    public static Issued issue(Issued issuer, Spec spec) {
        KeyPair keys = keyPair(spec.keyType);
        X509Certificate cert = build(spec, keys, issuer.privateKey(),
                X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()), issuer.certificate());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(issuer.chain());
        return new Issued(keys, List.copyOf(chain));
    }

    /** A TLS server certificate for localhost and 127.0.0.1. */
    public static Issued server(Issued ca) {
        return issue(ca, spec().subject("CN=localhost").dns("localhost").ip("127.0.0.1").serverAuth());
    }

    /** A TLS client certificate. */
    public static Issued client(Issued ca, String commonName) {
        return issue(ca, spec().subject("CN=" + commonName).clientAuth());
    }

    public static KeyPair keyPair(String type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
            if ("EC".equals(type)) {
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            } else if ("Ed25519".equals(type)) {
                return generator.generateKeyPair(); // one size only
            } else {
                generator.initialize(2048, RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(Spec spec, KeyPair keys, PrivateKey signer, X500Name issuerName,
                                         X509Certificate issuerCert) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(spec.notBefore), Date.from(spec.notAfter),
                    new X500Name(spec.subject), keys.getPublic());
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            if (issuerCert != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerCert));
            }
            if (spec.ca) {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            }
            if (!spec.sans.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(spec.sans.toArray(new GeneralName[0])));
            }
            if (spec.extendedKeyUsage != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(spec.extendedKeyUsage));
            }
            String algorithm = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("test certificate generation failed", e);
        }
    }

    public static byte[] pkcs12(PrivateKey key, List<X509Certificate> chain, String password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", key, password.toCharArray(), chain.toArray(new Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password.toCharArray());
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM of any objects JcaPEMWriter knows (certificates, keys, …). */
    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A loopback address object, for SAN checks in tests. */
    public static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }
}
