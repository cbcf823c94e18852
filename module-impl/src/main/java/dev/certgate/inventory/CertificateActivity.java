package dev.certgate.inventory;

import dev.certgate.api.ErrorCode;
import dev.certgate.observe.RequestObserver;
import dev.certgate.observe.RequestRecord;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each stored certificate has done since start: requests that presented it, TLS handshakes made with it, and
 * failures by reason with the last one. Fed on the hot path by {@link #completed} (once per proxied request) and
 * {@link #handshake}, so it takes no lock and allocates only the first time an id is seen and when a request fails.
 * Counts are kept by id: a certificate replaced under the same id (rotation) keeps its history.
 */
public final class CertificateActivity implements RequestObserver {
    private static final ErrorCode[] CODES = ErrorCode.values();

    private final ConcurrentHashMap<String, Counters> byId = new ConcurrentHashMap<>();

    /** The last failure of requests that presented a certificate; {@code backend} is null when none was chosen. */
    public record Failure(Instant time, String reason, String backend) {
    }

    /**
     * One certificate's activity: {@code lastUsed} null when no request presented it yet, {@code failures} by the
     * error table's reason (only reasons seen), {@code lastFailure} null when none failed.
     */
    public record Activity(Instant lastUsed, long requests, long handshakes, Map<String, Long> failures,
                           Failure lastFailure) {
        public static final Activity NONE = new Activity(null, 0, 0, Map.of(), null);
    }

    @Override
    public void completed(RequestRecord record) {
        String id = record.certificateId();
        if (id == null) {
            return;
        }
        Counters counters = counters(id);
        counters.lastUsed.accumulateAndGet(record.startMillis(), Math::max);
        ErrorCode failure = record.failure();
        if (failure != null) {
            counters.lastFailure.set(new Failure(Instant.ofEpochMilli(record.startMillis()), failure.code(),
                    record.backendUrl()));
            counters.failures.incrementAndGet(failure.ordinal());
        }
        counters.requests.increment(); // last: a reader that counts this request sees its time (Counters#read)
    }

    /** A TLS handshake was made presenting the certificate stored under {@code certificateId}. */
    public void handshake(String certificateId) {
        counters(certificateId).handshakes.increment();
    }

    /** The activity of one id; {@link Activity#NONE} when it has none since start. */
    public Activity of(String certificateId) {
        Counters counters = byId.get(certificateId);
        return counters == null ? Activity.NONE : counters.read();
    }

    /** Only a miss (the first request of an id) goes through computeIfAbsent, which may lock its bin. */
    private Counters counters(String id) {
        Counters counters = byId.get(id);
        return counters != null ? counters : byId.computeIfAbsent(id, k -> new Counters());
    }

    private static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder handshakes = new LongAdder();
        /** Milliseconds since the epoch; 0 while never used. */
        final AtomicLong lastUsed = new AtomicLong();
        /** By {@link ErrorCode#ordinal()}: no map, no boxing on the hot path. */
        final AtomicLongArray failures = new AtomicLongArray(CODES.length);
        final AtomicReference<Failure> lastFailure = new AtomicReference<>();

        /** Counts first, times after: the counts are written last, so every request counted has its time here. */
        Activity read() {
            long counted = requests.sum();
            Map<String, Long> byReason = new LinkedHashMap<>();
            for (int i = 0; i < CODES.length; i++) {
                long count = failures.get(i);
                if (count > 0) {
                    byReason.merge(CODES[i].code(), count, Long::sum);
                }
            }
            long used = lastUsed.get();
            return new Activity(used == 0 ? null : Instant.ofEpochMilli(used), counted, handshakes.sum(),
                    Collections.unmodifiableMap(byReason), lastFailure.get());
        }
    }
}
