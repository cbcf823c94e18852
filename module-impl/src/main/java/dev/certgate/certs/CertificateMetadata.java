package dev.certgate.certs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.config.Json;

import java.util.Map;

/** The file form of a certificate's public metadata; the metadata itself comes from {@link dev.certgate.x509.CertificateDescriptions}. */
public final class CertificateMetadata {
    private CertificateMetadata() {
    }

    /** {@code certificateInformation.json}: {@code {"properties": {...}}}. */
    static byte[] json(CertificateProperties properties) {
        try {
            return Json.MAPPER.writeValueAsBytes(Map.of("properties", properties));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise certificate metadata", e);
        }
    }
}
