package dev.certgate.certs;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** A client certificate ready to present: the private key and its chain, leaf first. Never serialised. */
public record KeyMaterial(String certificateId, String thumbprint, PrivateKey privateKey, List<X509Certificate> chain) {
    public KeyMaterial {
        chain = List.copyOf(chain);
    }

    /** When the leaf expires: the date back ends see. */
    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + certificateId + ", " + thumbprint + "]";
    }
}
