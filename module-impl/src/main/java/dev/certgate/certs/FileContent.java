package dev.certgate.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** What a PFX or PEM file held, in file order, before any check: its private keys and its certificates. */
record FileContent(List<PrivateKey> keys, List<X509Certificate> certificates) {
    FileContent {
        keys = List.copyOf(keys);
        certificates = List.copyOf(certificates);
    }

    @Override
    public String toString() {
        // The JDK's RSA key prints its private exponent; never let a stray log line do that.
        return "FileContent[" + keys.size() + " keys, " + certificates.size() + " certificates]";
    }
}
