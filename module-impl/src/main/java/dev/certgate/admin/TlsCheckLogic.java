package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.admin.TlsCheckView.Authority;
import dev.certgate.admin.TlsCheckView.ChainCertificate;
import dev.certgate.admin.TlsCheckView.Presented;
import dev.certgate.admin.TlsCheckView.Verdict;
import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.Ids;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.TlsSettings;
import dev.certgate.certs.StoredKeys;
import dev.certgate.certs.KeyMaterial;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.CertificateReferences;
import dev.certgate.config.ConfigService;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.Json;
import dev.certgate.outbound.BackendTlsProvider;
import dev.certgate.outbound.TlsProbe;
import dev.certgate.outbound.TlsProbeResult;
import dev.certgate.policy.SecretValues;
import dev.certgate.x509.Thumbprints;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The TLS dry run ({@code POST /admin/backends/{id}/tls-check}, {@code POST /admin/tls-check}): one handshake with
 * the certificate and TLS settings a call would use, and what came of it. No HTTP request is sent.
 */
public final class TlsCheckLogic {
    private static final Logger LOG = LoggerFactory.getLogger(TlsCheckLogic.class);
    private static final int HTTPS_PORT = 443;

    private record Target(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final ConfigService config;
    private final StoredKeys keys;
    private final BackendTlsProvider tlsProvider;

    public TlsCheckLogic(CertgateRuntime runtime) {
        this.config = runtime.config();
        this.keys = runtime.certificates().keys();
        this.tlsProvider = runtime.pools().tlsProvider();
    }

    /** The backend's url, tls settings and certificate; {@code body} may name another certificate. */
    public TlsCheckView backend(String backendId, byte[] body) {
        Ids.require("backend", backendId);
        GatewaySnapshot snapshot = config.current();
        BackendProperties backend = snapshot.backends().get(backendId);
        if (backend == null) {
            throw CertgateException.notFound("Backend", backendId);
        }
        TlsCheckRequest request = read(body);
        if (request.url() != null) {
            throw invalid("url", "A backend's tls-check uses the backend's url; POST /admin/tls-check takes any url");
        }
        if (request.tls() != null) {
            throw invalid("tls", "A backend's tls-check uses the backend's tls settings; POST /admin/tls-check takes "
                    + "any");
        }
        Target target = target(backend.url(), "Backend '" + backendId + "' has");
        List<String> certificateIds = request.certificateId() != null
                ? List.of(stored(snapshot, request.certificateId()))
                : configured(snapshot, backend.credentials());
        return check(snapshot, target, certificateIds, backend.tls(), "backend " + backendId);
    }

    /** Any https url, with the body's certificate (none if absent) and tls settings (both checks on if absent). */
    public TlsCheckView any(byte[] body) {
        TlsCheckRequest request = read(body);
        if (request.url() == null || request.url().isBlank()) {
            throw invalid("url", "The body must give the url to check, e.g. {\"url\": \"https://host:port\"}");
        }
        Target target = target(request.url(), "The body has");
        GatewaySnapshot snapshot = config.current();
        List<String> certificateIds = request.certificateId() == null ? List.of()
                : List.of(stored(snapshot, request.certificateId()));
        TlsSettings tls = request.tls() == null ? TlsSettings.DEFAULT : request.tls();
        tls.unused().keySet().stream().findFirst().ifPresent(name -> {
            throw invalid("tls." + name, "Unknown tls setting '" + name + "': the settings are "
                    + "validateCertificateChain and validateCertificateName");
        });
        return check(snapshot, target, certificateIds, tls, "url");
    }

    private TlsCheckView check(GatewaySnapshot snapshot, Target target, List<String> certificateIds, TlsSettings tls,
                               String subject) {
        // As a call chooses: the first named certificate whose key can be had; none usable fails the call.
        KeyMaterial key = certificateIds.stream().map(keys::keyMaterial).flatMap(Optional::stream)
                .findFirst().orElse(null);
        String unusableId = key == null && !certificateIds.isEmpty() ? certificateIds.get(0) : null;
        Set<X509Certificate> authorities = snapshot.authorities().values().stream()
                .map(AuthorityConfig::certificate)
                .collect(Collectors.toUnmodifiableSet());
        TlsProbeResult probe = TlsProbe.run(target.host(), target.port(), key, tls, authorities, tlsProvider);
        List<String> matching = matching(snapshot, probe.acceptedIssuers());
        // A backend's host may be a secret named value, and the failures the verdict explains name the host.
        SecretValues secrets = snapshot.secrets();
        String shownTarget = secrets.keepOut(target.toString());
        Verdict found = TlsVerdicts.of(probe, shownTarget, key, unusableId, matching);
        Verdict verdict = new Verdict(found.result(), secrets.keepOut(found.explanation()),
                secrets.keepOut(found.action()));
        LOG.info("TLS check of {} at {}: {}{}", subject, shownTarget, verdict.result(),
                verdict.explanation() == null ? "" : " (" + verdict.explanation() + ")");
        Object trustedBy = !probe.trusted() ? null
                : probe.authority() == null ? "jdk" : new Authority(authorityId(snapshot, probe.authority()));
        return new TlsCheckView(probe.chain().stream().map(ChainCertificate::of).toList(), probe.trusted(), trustedBy,
                probe.nameMatches(), probe.clientCertificateRequested(),
                probe.acceptedIssuers().stream().map(X500Principal::toString).toList(), matching,
                probe.certificatePresented() ? new Presented(key.certificateId(), key.thumbprint()) : null,
                probe.protocol(), probe.cipherSuite(), verdict);
    }

    /** The backend's certificates in the order a call tries them: certificateIds, else thumbprints. */
    private static List<String> configured(GatewaySnapshot snapshot, BackendCredentials credentials) {
        if (!credentials.certificateIds().isEmpty()) {
            return credentials.certificateIds().stream()
                    .map(CertificateReferences::idOf).flatMap(Optional::stream).toList();
        }
        return credentials.certificate().stream()
                .map(thumbprint -> snapshot.certificateIdForThumbprint(Thumbprints.normalize(thumbprint)))
                .flatMap(Optional::stream).toList();
    }

    private static String stored(GatewaySnapshot snapshot, String certificateId) {
        if (!Ids.isValid(certificateId)) {
            throw invalid("certificateId", "certificateId is not a certificate id: it must match " + Ids.PATTERN);
        }
        if (!snapshot.certificates().containsKey(certificateId)) {
            throw invalid("certificateId", "certificateId names certificate '" + certificateId
                    + "', which is not stored (GET /admin/certificates lists them)");
        }
        return certificateId;
    }

    /** Stored certificates with one of {@code issuers} in their chain, as issuer or as a certificate of it. */
    private List<String> matching(GatewaySnapshot snapshot, List<X500Principal> issuers) {
        if (issuers.isEmpty()) {
            return List.of();
        }
        Set<X500Principal> wanted = Set.copyOf(issuers);
        List<String> ids = new ArrayList<>();
        for (String id : snapshot.certificates().keySet()) {
            boolean matches = keys.keyMaterial(id).stream().flatMap(key -> key.chain().stream())
                    .anyMatch(c -> wanted.contains(c.getIssuerX500Principal())
                            || wanted.contains(c.getSubjectX500Principal()));
            if (matches) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    private static String authorityId(GatewaySnapshot snapshot, X509Certificate anchor) {
        return snapshot.authorities().entrySet().stream()
                .filter(entry -> entry.getValue().certificate().equals(anchor))
                .map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** The url as host and port. Messages never repeat it: it may carry credentials or a secret named value. */
    private static Target target(String url, String owner) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw invalid("url", owner + " a url that is not a valid URL: " + e.getReason());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw invalid("url", owner + " a url that is not https: a TLS check needs an https url");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw invalid("url", owner + " a url without a host name");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Target(host, uri.getPort() < 0 ? HTTPS_PORT : uri.getPort());
    }

    /** The body as JSON; none at all is as good as {@code {}}. */
    private static TlsCheckRequest read(byte[] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return TlsCheckRequest.EMPTY;
        }
        try {
            TlsCheckRequest request = Json.MAPPER.readValue(body, TlsCheckRequest.class);
            return request == null ? TlsCheckRequest.EMPTY : request;
        } catch (IOException e) {
            // The mapper turns Jackson's failure into a 400 naming the field and position.
            throw new UncheckedIOException(e);
        }
    }

    private static CertgateException invalid(String field, String message) {
        return new CertgateException(ErrorCode.VALIDATION_ERROR, message,
                List.of(new ErrorDetail("InvalidValue", field, message)));
    }
}
