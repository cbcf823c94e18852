package dev.certgate.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /admin/status}, exactly CONTRACT §5's fields. Nulls are written (not dropped as elsewhere):
 * {@code "lastError": null} says "the last load was good", and a pool without a certificate has none.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StatusView(String version, long generation, Instant loadedAt, LastError lastError, Counts counts,
                         List<Pool> pools) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LastError(String file, Integer line, Integer column, String message) {
    }

    public record Counts(int apis, int backends, int certificates, int authorities) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Pool(String certificateId, String thumbprint, int leased, int available, int pending, int max,
                       long handshakes) {
    }
}
