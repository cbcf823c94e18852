package dev.certgate.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A client certificate ready to present: the private key and its chain, leaf first. Never serialised. */
public record KeyMaterial(String certificateId, String thumbprint, PrivateKey privateKey, List<X509Certificate> chain) {
    public KeyMaterial {
        chain = List.copyOf(chain);
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + certificateId + ", " + thumbprint + "]";
    }
}
