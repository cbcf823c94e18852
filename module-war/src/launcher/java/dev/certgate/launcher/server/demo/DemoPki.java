package dev.certgate.launcher.server.demo;

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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.security.auth.x500.X500Principal;

/**
 * The demo's certificates, made with Bouncy Castle at every start and kept in memory only: a CA, the
 * back end's server certificate for localhost and 127.0.0.1, and a client certificate. The client's key
 * reaches the home only through the admin API, encrypted like any uploaded certificate.
 */
final class DemoPki {
    static final String CA_SUBJECT = "CN=Certgate Demo CA, O=Certgate demo";
    static final String SERVER_SUBJECT = "CN=localhost, O=Certgate demo";
    static final String CLIENT_SUBJECT = "CN=certgate-demo-client, O=Certgate demo";
    private static final Duration VALIDITY = Duration.ofDays(90);
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair with its chain, leaf first. */
    record Issued(KeyPair keys, List<X509Certificate> chain) {
        X509Certificate certificate() {
            return chain.get(0);
        }

        /** A PKCS#12 in memory for the JDK and Jetty, key and chain under {@code password}. */
        KeyStore keyStore(char[] password) throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", keys.getPrivate(), password, chain.toArray(new Certificate[0]));
            return store;
        }

        /** The PFX file a user would upload. */
        byte[] pfx(char[] password) throws GeneralSecurityException, IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            keyStore(password).store(out, password);
            return out.toByteArray();
        }
    }

    private final Issued ca;
    private final Issued server;
    private final Issued client;

    private DemoPki(Issued ca, Issued server, Issued client) {
        this.ca = ca;
        this.server = server;
        this.client = client;
    }

    static DemoPki generate() throws GeneralSecurityException, IOException, OperatorCreationException {
        KeyPair caKeys = keyPair();
        X500Principal caName = new X500Principal(CA_SUBJECT);
        X509Certificate caCertificate = certificate(caKeys, caName, caName, caKeys, null, Kind.CA);
        Issued ca = new Issued(caKeys, List.of(caCertificate));
        return new DemoPki(ca, issue(ca, SERVER_SUBJECT, Kind.SERVER), issue(ca, CLIENT_SUBJECT, Kind.CLIENT));
    }

    Issued ca() {
        return ca;
    }

    Issued server() {
        return server;
    }

    Issued client() {
        return client;
    }

    /** A trust store holding only the demo CA, for the back end's check of client certificates. */
    KeyStore caTrustStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("demo-ca", ca.certificate());
        return store;
    }

    String caPem() throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(ca.certificate());
        }
        return out.toString();
    }

    private enum Kind { CA, SERVER, CLIENT }

    private static Issued issue(Issued issuer, String subject, Kind kind)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        KeyPair keys = keyPair();
        X509Certificate certificate = certificate(keys, new X500Principal(subject),
                issuer.certificate().getSubjectX500Principal(), issuer.keys(), issuer.certificate(), kind);
        return new Issued(keys, List.of(certificate, issuer.certificate()));
    }

    private static X509Certificate certificate(KeyPair keys, X500Principal subject, X500Principal issuerName, KeyPair signer,
                                               X509Certificate issuerCertificate, Kind kind)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, RANDOM).abs(),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        if (issuerCertificate != null) {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(issuerCertificate));
        }
        switch (kind) {
            case CA -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            case SERVER -> {
                leaf(builder, KeyPurposeId.id_kp_serverAuth);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            case CLIENT -> leaf(builder, KeyPurposeId.id_kp_clientAuth);
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    }

    private static void leaf(X509v3CertificateBuilder builder, KeyPurposeId purpose) throws IOException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }
}
