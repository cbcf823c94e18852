package dev.certgate.inventory;

import dev.certgate.api.ErrorCode;
import dev.certgate.observe.RequestRecord;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateActivityTest {
    private final CertificateActivity activity = new CertificateActivity();

    @Test
    void anIdNeverUsedHasNoActivity() {
        activity.completed(record(null, null, 200));

        CertificateActivity.Activity none = activity.of("c1");
        assertThat(none.lastUsed()).isNull();
        assertThat(none.requests()).isZero();
        assertThat(none.handshakes()).isZero();
        assertThat(none.failures()).isEmpty();
        assertThat(none.lastFailure()).isNull();
    }

    @Test
    void requestsCountPerCertificateWithTheLatestStartAsLastUsed() {
        RequestRecord first = record("c1", null, 200);
        RequestRecord second = record("c1", null, 200);
        activity.completed(second);
        activity.completed(first); // finishing later must not move lastUsed back
        activity.completed(record("c2", null, 200));

        CertificateActivity.Activity c1 = activity.of("c1");
        assertThat(c1.requests()).isEqualTo(2);
        assertThat(c1.lastUsed()).isEqualTo(Instant.ofEpochMilli(Math.max(first.startMillis(), second.startMillis())));
        assertThat(c1.failures()).isEmpty();
        assertThat(activity.of("c2").requests()).isEqualTo(1);
    }

    @Test
    void failuresCountByReasonAndTheLastOneKeepsTimeReasonAndBackend() {
        activity.completed(record("c1", ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED, 500));
        activity.completed(record("c1", ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED, 500));
        RequestRecord last = record("c1", ErrorCode.BACKEND_TIMEOUT, 504);
        activity.completed(last);
        activity.completed(record("c1", null, 200));

        CertificateActivity.Activity c1 = activity.of("c1");
        assertThat(c1.requests()).isEqualTo(4);
        assertThat(c1.failures()).isEqualTo(Map.of("BackendTlsHandshakeFailed", 2L, "BackendTimeout", 1L));
        assertThat(c1.lastFailure()).isEqualTo(new CertificateActivity.Failure(
                Instant.ofEpochMilli(last.startMillis()), "BackendTimeout", "https://backend.test:8443/base"));
    }

    @Test
    void handshakesCountSeparatelyFromRequests() {
        activity.handshake("c1");
        activity.handshake("c1");

        assertThat(activity.of("c1").handshakes()).isEqualTo(2);
        assertThat(activity.of("c1").requests()).isZero();
        assertThat(activity.of("c1").lastUsed()).isNull();
    }

    @Test
    void concurrentRequestsAreAllCounted() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        activity.completed(record("c" + (i % 3), i % 10 == 0 ? ErrorCode.BACKEND_TIMEOUT : null, 200));
                        activity.handshake("c" + (i % 3));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        long requests = 0;
        long handshakes = 0;
        long timeouts = 0;
        for (String id : List.of("c0", "c1", "c2")) {
            requests += activity.of(id).requests();
            handshakes += activity.of(id).handshakes();
            timeouts += activity.of(id).failures().getOrDefault("BackendTimeout", 0L);
        }
        assertThat(requests).isEqualTo(40_000);
        assertThat(handshakes).isEqualTo(40_000);
        assertThat(timeouts).isEqualTo(4_000);
    }

    /** A request as the proxy hands it over once answered. */
    private static RequestRecord record(String certificateId, ErrorCode failure, int status) {
        RequestRecord record = new RequestRecord("req-1", null, "127.0.0.1", "GET", "/orders/1");
        record.route("orders", null);
        if (certificateId != null) {
            record.backend("https://backend.test:8443/base", certificateId, "0123456789ABCDEF0123456789ABCDEF01234567");
        }
        if (failure != null) {
            record.failed(failure);
        }
        record.completed(status, true);
        return record;
    }
}
