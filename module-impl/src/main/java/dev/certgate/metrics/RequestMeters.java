package dev.certgate.metrics;

import dev.certgate.api.ErrorCode;
import dev.certgate.observe.RequestObserver;
import dev.certgate.observe.RequestRecord;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The request meters: counts by API, operation, method and status class, gateway and back-end latency histograms,
 * bytes and failures by API. Labels come only from configuration ids, the standard methods and the status classes,
 * so their number is bounded by the configuration. A request costs a map lookup per API and per operation and an
 * array read per meter: the meters are made once per label tuple, never looked up through Micrometer's builders,
 * and nothing here takes a lock once they exist.
 */
final class RequestMeters implements RequestObserver {
    static final String NONE = "none";
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
            "CONNECT", "other"};
    /** Index 0: no status was sent (the answer broke off first) or one outside 100-599. */
    private static final String[] STATUS_CLASSES = {NONE, "1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final ErrorCode[] REASONS = ErrorCode.values();
    /** A fixed bucket set: cheap to record, and sums across instances in Prometheus as percentiles never do. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, ApiMeters> apis = new ConcurrentHashMap<>();

    RequestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void completed(RequestRecord record) {
        record(record.apiId(), record.operationId(), record.method(), record.status(), record.totalNanos(),
                record.backendNanos(), record.requestBytes(), record.responseBytes(), record.failure());
    }

    /** One request's figures; {@code totalNanos} or {@code backendNanos} negative when not measured. */
    void record(String apiId, String operationId, String method, int status, long totalNanos, long backendNanos,
                long requestBytes, long responseBytes, ErrorCode failure) {
        ApiMeters api = api(apiId);
        api.operation(operationId).count(method(method), statusClass(status));
        if (totalNanos >= 0) {
            api.total.record(totalNanos, TimeUnit.NANOSECONDS);
        }
        if (backendNanos >= 0) {
            api.backend.record(backendNanos, TimeUnit.NANOSECONDS);
        }
        if (requestBytes > 0) {
            api.requestBytes.increment(requestBytes);
        }
        if (responseBytes > 0) {
            api.responseBytes.increment(responseBytes);
        }
        if (failure != null) {
            api.failure(failure).increment();
        }
    }

    private ApiMeters api(String id) {
        String key = id == null ? NONE : id;
        ApiMeters meters = apis.get(key);
        // get first: computeIfAbsent may lock the bin even when the key is present.
        return meters != null ? meters : apis.computeIfAbsent(key, ApiMeters::new);
    }

    static int method(String method) {
        if (method == null) {
            return METHODS.length - 1;
        }
        return switch (method) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "PUT" -> 3;
            case "DELETE" -> 4;
            case "PATCH" -> 5;
            case "OPTIONS" -> 6;
            case "TRACE" -> 7;
            case "CONNECT" -> 8;
            default -> METHODS.length - 1;
        };
    }

    static int statusClass(int status) {
        return status >= 100 && status < 600 ? status / 100 : 0;
    }

    /** One API's meters; the request counters by operation below it. */
    private final class ApiMeters {
        private final String api;
        final Timer total;
        final Timer backend;
        final Counter requestBytes;
        final Counter responseBytes;
        private final AtomicReferenceArray<Counter> failures = new AtomicReferenceArray<>(REASONS.length);
        private final ConcurrentHashMap<String, OperationMeters> operations = new ConcurrentHashMap<>();

        ApiMeters(String api) {
            this.api = api;
            this.total = timer("certgate.request.duration", "From a request's arrival to the end of its answer");
            this.backend = timer("certgate.backend.duration",
                    "From sending a request to the back end to the head of its answer");
            this.requestBytes = Counter.builder("certgate.request").baseUnit("bytes")
                    .description("Request body bytes read from callers").tag("api", api).register(registry);
            this.responseBytes = Counter.builder("certgate.response").baseUnit("bytes")
                    .description("Response body bytes relayed from back ends to callers").tag("api", api)
                    .register(registry);
        }

        private Timer timer(String name, String description) {
            return Timer.builder(name).description(description).tag("api", api)
                    .serviceLevelObjectives(BUCKETS).register(registry);
        }

        OperationMeters operation(String id) {
            String key = id == null ? NONE : id;
            OperationMeters meters = operations.get(key);
            return meters != null ? meters : operations.computeIfAbsent(key, k -> new OperationMeters(api, k));
        }

        Counter failure(ErrorCode reason) {
            Counter counter = failures.get(reason.ordinal());
            if (counter == null) {
                // Two threads may both build it: the registry hands both the same counter.
                counter = Counter.builder("certgate.failures")
                        .description("Requests the gateway answered or broke off with a failure, by the error table's "
                                + "reason").tag("reason", reason.code()).tag("api", api).register(registry);
                failures.set(reason.ordinal(), counter);
            }
            return counter;
        }
    }

    /** One operation's request counters, one per method and status class, made on first use. */
    private final class OperationMeters {
        private final String api;
        private final String operation;
        private final AtomicReferenceArray<Counter> counters =
                new AtomicReferenceArray<>(METHODS.length * STATUS_CLASSES.length);

        OperationMeters(String api, String operation) {
            this.api = api;
            this.operation = operation;
        }

        void count(int method, int statusClass) {
            int index = method * STATUS_CLASSES.length + statusClass;
            Counter counter = counters.get(index);
            if (counter == null) {
                counter = Counter.builder("certgate.requests").description("Proxied requests")
                        .tag("api", api).tag("operation", operation).tag("method", METHODS[method])
                        .tag("status_class", STATUS_CLASSES[statusClass]).register(registry);
                counters.set(index, counter);
            }
            counter.increment();
        }
    }
}
