package dev.certgate.api.model;

import java.time.Instant;

/**
 * {@code certificateInformation.json}: public metadata of a client certificate, no key material.
 * {@code thumbprint} is SHA-1 of the DER certificate, upper-case hex without colons (APIM's form).
 */
public record CertificateProperties(String subject, String issuer, String thumbprint, String thumbprintSha256,
                                    Instant expirationDate, Instant notBefore) {
}
