package dev.certgate.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /admin/status}, exactly CONTRACT §5's fields. Nulls are written (not dropped as elsewhere):
 * {@code "lastError": null} says "the last load was good", and a pool without a certificate has none.
 * {@code errors} lists every error of the last load ({@code lastError} is its first), {@code warnings} what
 * the configuration holds that Certgate does not act on.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StatusView(String version, long generation, Instant loadedAt, Problem lastError, List<Problem> errors,
                         List<Warning> warnings, Apis apis, List<Product> products, Counts counts, List<Pool> pools) {

    /** A product of the APIOps folder: listed, never applied ({@code policyApplied} is always false). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Product(String id, String displayName, boolean hasPolicy, boolean policyApplied) {
    }

    /**
     * Every API by how the last load left it, each with the errors of its effective configuration: {@code served}
     * (with {@code lastGood} true when the files have errors and the configuration loaded before keeps serving),
     * {@code unavailable} (its calls answer 503 ApiUnavailable), and {@code revisions}, the revisions that are not
     * current ({@code <apiId>;rev=<n>}), loaded and checked but not served.
     */
    public record Apis(List<Api> served, List<Api> unavailable, List<Api> revisions) {
    }

    /** One API; {@code path} is null when its information file could not be read. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Api(String id, String path, boolean lastGood, List<Problem> errors) {
    }

    /** A configuration error: file relative to the home, line and column from 1 (null when the whole file). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Problem(String file, Integer line, Integer column, String message) {
    }

    /**
     * Something to look at that does not stop the configuration from loading; {@code code} says what kind. An expiry
     * warning adds {@code certificateId} or {@code authorityId}, {@code notAfter}, {@code daysToExpiry} and, for a
     * certificate, its {@code users}; {@code CertificateUnusable} adds {@code certificateId} and {@code users}; the
     * other kinds leave those out.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Warning(String code, String file, Integer line, Integer column, String message,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String certificateId,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String authorityId,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Long daysToExpiry,
                          @JsonInclude(JsonInclude.Include.NON_NULL) UsersView users) {

        Warning(String code, String file, Integer line, Integer column, String message) {
            this(code, file, line, column, message, null, null, null, null, null);
        }
    }

    public record Counts(int apis, int backends, int certificates, int authorities) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Pool(String certificateId, String thumbprint, boolean validateCertificateChain,
                       boolean validateCertificateName, int leased, int available, int pending, int max,
                       long handshakes) {
    }
}
