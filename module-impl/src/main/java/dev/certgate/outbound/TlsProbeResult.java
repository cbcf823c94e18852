package dev.certgate.outbound;

import javax.security.auth.x500.X500Principal;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What one TLS dry run saw.
 *
 * @param chain                      the back end's chain, leaf first; empty if the handshake did not get that far
 * @param trusted                    whether the chain leads to a JDK anchor or an uploaded authority
 * @param authority                  the uploaded authority it leads to; null if none (trusted: a JDK anchor)
 * @param nameMatches                whether the leaf names the host (checked whatever the backend's setting)
 * @param clientCertificateRequested whether the back end sent a CertificateRequest
 * @param acceptedIssuers            that request's certificate_authorities, as sent
 * @param certificatePresented       whether a client certificate went out
 * @param protocol                   the negotiated protocol, null if the handshake failed
 * @param cipherSuite                the negotiated cipher suite, null if the handshake failed
 * @param failure                    what a call with these settings would have failed with, null if nothing
 */
public record TlsProbeResult(List<X509Certificate> chain, boolean trusted, X509Certificate authority,
                             boolean nameMatches, boolean clientCertificateRequested,
                             List<X500Principal> acceptedIssuers, boolean certificatePresented, String protocol,
                             String cipherSuite, Exception failure) {
    public TlsProbeResult {
        chain = List.copyOf(chain);
        acceptedIssuers = List.copyOf(acceptedIssuers);
    }
}
