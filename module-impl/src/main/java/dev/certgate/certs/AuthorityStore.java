package dev.certgate.certs;

import dev.certgate.config.Preconditions;
import dev.certgate.x509.AuthorityCertificates;
import dev.certgate.x509.CertificateDescriptions;

import dev.certgate.api.CertgateException;
import dev.certgate.api.Ids;
import dev.certgate.api.model.AuthorityProperties;
import dev.certgate.config.AuthorityConfig;
import dev.certgate.config.ConfigChange;
import dev.certgate.config.ConfigService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** CA certificates trusted for back ends, stored as config/authorities/<id>/authority.pem. */
public final class AuthorityStore {
    /** {@code warning}: what is accepted but worth saying about the upload, null for nothing. */
    public record Stored(AuthorityProperties properties, boolean created, String warning) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuthorityStore.class);

    private final ConfigService config;

    public AuthorityStore(ConfigService config) {
        this.config = config;
    }

    /** {@code data}: PEM or DER of one CA certificate; a file with a private key is refused (400). */
    public Stored put(String id, byte[] data, Preconditions conditions) {
        Ids.require("authority", id);
        X509Certificate certificate = AuthorityCertificates.parse(data);
        Path file = config.layout().authorityPem(id);
        ConfigService.Applied applied = config.apply(ConfigChange.create()
                .preconditions(file, conditions)
                .put(file, AuthorityCertificates.pem(certificate))
                .primary(file));
        boolean created = applied.created();
        // As loaded, so this answer and every later GET describe the authority alike.
        AuthorityProperties properties = Optional.ofNullable(applied.snapshot().authorities().get(id))
                .map(AuthorityConfig::properties)
                .orElseGet(() -> CertificateDescriptions.authority(certificate));
        LOG.info("Authority {} {}: subject '{}', thumbprint {}", id, created ? "created" : "replaced",
                properties.subject(), properties.thumbprint());
        String warning = notACa(certificate);
        if (warning != null) {
            LOG.warn("Authority {}: {}", id, warning);
        }
        return new Stored(properties, created, warning);
    }

    /**
     * Why a certificate that is not a CA's is worth a word, or null for a CA's: it is trusted as an anchor all the
     * same (a pin of the back end's own certificate), but it vouches for nothing else, so it stops working when the
     * back end's certificate is renewed.
     */
    static String notACa(X509Certificate certificate) {
        if (certificate.getBasicConstraints() >= 0) {
            return null;
        }
        return "'" + certificate.getSubjectX500Principal() + "' is not a CA certificate (no basicConstraints with"
                + " cA true): it trusts that one certificate only, as a pin, and stops working when the back end's"
                + " certificate is renewed; upload the CA that issued it to trust its renewals too";
    }

    public Optional<AuthorityProperties> get(String id) {
        Ids.require("authority", id);
        return Optional.ofNullable(config.current().authorities().get(id)).map(AuthorityConfig::properties);
    }

    /** The ETag of {@code authority.pem} (what {@code If-Match} compares with), or null if missing. */
    public String etag(String id) {
        return config.etagOf(pemFile(id));
    }

    /** As {@link #etag}, for a read whose body {@link #get} takes next: see {@link ConfigService#etagForRead}. */
    public String etagForRead(String id) {
        return config.etagForRead(pemFile(id));
    }

    private Path pemFile(String id) {
        return config.layout().authorityPem(Ids.require("authority", id));
    }

    public void delete(String id, Preconditions conditions) {
        Ids.require("authority", id);
        Path file = config.layout().authorityPem(id);
        config.apply(ConfigChange.create()
                .guard(snapshot -> {
                    if (!snapshot.authorities().containsKey(id)) {
                        throw CertgateException.notFound("Authority", id);
                    }
                })
                .preconditions(file, conditions)
                .deleteTree(config.layout().authorityDir(id))
                .primary(file));
        LOG.info("Authority {} deleted", id);
    }
}
