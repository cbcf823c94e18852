package dev.certgate.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An accepted upload: its one private key, the chain leaf first (ordered by issuer links), and the file's
 * certificates that are not on that chain (reported as a warning, not stored).
 */
record ImportedCertificate(PrivateKey privateKey, List<X509Certificate> chain, List<X509Certificate> leftOut) {
    ImportedCertificate {
        chain = List.copyOf(chain);
        leftOut = List.copyOf(leftOut);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "ImportedCertificate[" + leaf().getSubjectX500Principal() + ", " + chain.size() + " in chain]";
    }
}
