package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.CertificateReferences;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.x509.Thumbprints;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Chooses the client certificate a request presents: the {@code authentication-certificate} policy if
 * one ran, else the backend's credentials ({@code certificateIds}, else {@code certificate}
 * thumbprints), else none. A certificate that is named but cannot be had fails the request.
 */
final class ClientCertificates {
    private final Function<String, Optional<KeyMaterial>> keyById;

    ClientCertificates(Function<String, Optional<KeyMaterial>> keyById) {
        this.keyById = keyById;
    }

    /**
     * The ids of each certificate thumbprint in id order, built once per snapshot so that a request looks a
     * thumbprint up instead of scanning the store (the loader has normalised every thumbprint already).
     */
    static Map<String, List<String>> idsByThumbprint(GatewaySnapshot snapshot) {
        Map<String, List<String>> ids = new HashMap<>();
        snapshot.certificates().forEach((id, certificate) ->
                ids.computeIfAbsent(certificate.thumbprint(), t -> new ArrayList<>()).add(id));
        ids.replaceAll((thumbprint, list) -> List.copyOf(list));
        return Map.copyOf(ids);
    }

    /** The key to present, or null for none; {@code idsByThumbprint} is {@link #idsByThumbprint} of the snapshot. */
    KeyMaterial choose(Exchange exchange, Map<String, List<String>> idsByThumbprint) {
        AuthenticationCertificate policy = exchange.certificate();
        if (policy != null) {
            Optional<KeyMaterial> key = policy.certificateId() != null
                    ? byId(policy.certificateId())
                    : byThumbprint(policy.thumbprint(), idsByThumbprint);
            return key.orElseThrow(ClientCertificates::unavailable);
        }
        BackendProperties backend = exchange.backend();
        if (backend == null) {
            return null;
        }
        BackendCredentials credentials = backend.credentials();
        if (!credentials.certificateIds().isEmpty()) {
            return firstAvailable(credentials.certificateIds().stream()
                    .map(reference -> CertificateReferences.idOf(reference).flatMap(this::byId))
                    .toList());
        }
        if (!credentials.certificate().isEmpty()) {
            return firstAvailable(credentials.certificate().stream()
                    .map(thumbprint -> byThumbprint(thumbprint, idsByThumbprint))
                    .toList());
        }
        return null;
    }

    private Optional<KeyMaterial> byId(String id) {
        return keyById.apply(id);
    }

    /** The first id (in id order) holding a certificate with this thumbprint whose key has that thumbprint still. */
    private Optional<KeyMaterial> byThumbprint(String thumbprint, Map<String, List<String>> idsByThumbprint) {
        String wanted = Thumbprints.normalize(thumbprint);
        for (String id : idsByThumbprint.getOrDefault(wanted, List.of())) {
            Optional<KeyMaterial> key = byId(id).filter(k -> wanted.equals(Thumbprints.normalize(k.thumbprint())));
            if (key.isPresent()) {
                return key;
            }
        }
        return Optional.empty();
    }

    private static KeyMaterial firstAvailable(List<Optional<KeyMaterial>> candidates) {
        return candidates.stream().flatMap(Optional::stream).findFirst().orElseThrow(ClientCertificates::unavailable);
    }



    private static CertgateException unavailable() {
        return new CertgateException(ErrorCode.CLIENT_CERTIFICATE_UNAVAILABLE,
                "The client certificate for the back end is missing or unusable");
    }
}
