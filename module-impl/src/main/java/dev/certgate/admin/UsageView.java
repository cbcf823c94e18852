package dev.certgate.admin;

import dev.certgate.inventory.CertificateActivity;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/**
 * A certificate's {@code usage}: what uses it by configuration, and what it did since start ({@code lastUsed} and
 * {@code lastFailure} null until it happened, {@code failures} by the error table's reason). Nulls are written, so a
 * reader can tell "never" from a missing field.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UsageView(UsersView users, Instant lastUsed, long requests, long handshakes, Map<String, Long> failures,
                        CertificateActivity.Failure lastFailure) {

    static UsageView of(UsersView users, CertificateActivity.Activity activity) {
        return new UsageView(users, activity.lastUsed(), activity.requests(), activity.handshakes(),
                activity.failures(), activity.lastFailure());
    }
}
