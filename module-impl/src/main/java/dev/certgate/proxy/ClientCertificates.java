package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.GatewaySnapshot;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Chooses the client certificate a request presents: the {@code authentication-certificate} policy if
 * one ran, else the backend's credentials ({@code certificateIds}, else {@code certificate}
 * thumbprints), else none. A certificate that is named but cannot be had fails the request.
 */
final class ClientCertificates {
    private static final String ID_PREFIX = "/certificates/";

    private final Function<String, Optional<KeyMaterial>> keyById;

    ClientCertificates(Function<String, Optional<KeyMaterial>> keyById) {
        this.keyById = keyById;
    }

    /** The key to present, or null for none. */
    KeyMaterial choose(Exchange exchange, GatewaySnapshot snapshot) {
        AuthenticationCertificate policy = exchange.certificate();
        if (policy != null) {
            Optional<KeyMaterial> key = policy.certificateId() != null
                    ? byId(policy.certificateId())
                    : byThumbprint(policy.thumbprint(), snapshot);
            return key.orElseThrow(ClientCertificates::unavailable);
        }
        BackendProperties backend = exchange.backend();
        if (backend == null) {
            return null;
        }
        BackendCredentials credentials = backend.credentials();
        if (!credentials.certificateIds().isEmpty()) {
            return firstAvailable(credentials.certificateIds().stream()
                    .map(ClientCertificates::idOf)
                    .map(this::byId)
                    .toList());
        }
        if (!credentials.certificate().isEmpty()) {
            return firstAvailable(credentials.certificate().stream()
                    .map(thumbprint -> byThumbprint(thumbprint, snapshot))
                    .toList());
        }
        return null;
    }

    private Optional<KeyMaterial> byId(String id) {
        return keyById.apply(id);
    }

    /** The first id (in id order) holding a certificate with this thumbprint whose key has that thumbprint still. */
    private Optional<KeyMaterial> byThumbprint(String thumbprint, GatewaySnapshot snapshot) {
        String wanted = normalize(thumbprint);
        for (Map.Entry<String, CertificateProperties> entry : snapshot.certificates().entrySet()) {
            if (wanted.equals(normalize(entry.getValue().thumbprint()))) {
                Optional<KeyMaterial> key = byId(entry.getKey()).filter(k -> wanted.equals(normalize(k.thumbprint())));
                if (key.isPresent()) {
                    return key;
                }
            }
        }
        return Optional.empty();
    }

    private static KeyMaterial firstAvailable(List<Optional<KeyMaterial>> candidates) {
        return candidates.stream().flatMap(Optional::stream).findFirst().orElseThrow(ClientCertificates::unavailable);
    }

    /** {@code "/certificates/c1"} (APIM's form) or a bare {@code "c1"}. */
    private static String idOf(String reference) {
        return reference.startsWith(ID_PREFIX) ? reference.substring(ID_PREFIX.length()) : reference;
    }

    private static String normalize(String thumbprint) {
        return thumbprint == null ? "" : thumbprint.replace(":", "").replace(" ", "").toUpperCase(Locale.ROOT);
    }

    private static CertgateException unavailable() {
        return new CertgateException(ErrorCode.CLIENT_CERTIFICATE_UNAVAILABLE,
                "The client certificate for the back end is missing or unusable");
    }
}
