package dev.certgate.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a load produced. The snapshot holds what loaded without error: the APIs whose effective configuration is
 * clean, and the backends, certificates and authorities whose files are; the APIs with errors are in {@code
 * apiErrors} (and, when their path is known, in the snapshot's unavailable APIs). {@code broken} names what has a
 * file with errors, so that its last good version can be kept; {@code revisions} are the revisions that are not
 * current, each with the errors of its folder; {@code products} are listed, never applied. {@code errors} lists
 * every error, {@code warnings} what the files hold that Certgate does not act on. The snapshot has generation 0 and is not yet published.
 */
public record LoadResult(GatewaySnapshot snapshot, List<ConfigError> errors, List<ConfigWarning> warnings,
                         Map<String, List<ConfigError>> apiErrors, Broken broken, List<ApiStatus> revisions,
                         List<Product> products) {

    /** The entities with a file that has errors (present on disk, so not deleted). */
    public record Broken(boolean globalPolicy, Set<String> backends, Set<String> certificates,
                         Set<String> authorities) {
        public static final Broken NONE = new Broken(false, Set.of(), Set.of(), Set.of());

        public Broken {
            backends = Set.copyOf(backends);
            certificates = Set.copyOf(certificates);
            authorities = Set.copyOf(authorities);
        }
    }

    public LoadResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        apiErrors = GatewaySnapshot.sorted(apiErrors);
        revisions = List.copyOf(revisions);
        products = List.copyOf(products);
    }

    /** Whether the load found no error at all (an admin write is refused only for the errors it adds). */
    public boolean valid() {
        return errors.isEmpty();
    }
}
