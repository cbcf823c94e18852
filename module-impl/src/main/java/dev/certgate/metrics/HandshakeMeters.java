package dev.certgate.metrics;

import dev.certgate.api.ErrorCode;
import dev.certgate.outbound.HandshakeListener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;

/** TLS handshakes with back ends, made anew or resumed, and failed ones by reason, per client certificate. */
final class HandshakeMeters implements HandshakeListener {
    private record Key(String certificateId, String thumbprint, String outcome) {
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();

    HandshakeMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void completed(String certificateId, String thumbprint, boolean resumed) {
        counter(new Key(certificateId, thumbprint, resumed ? "resumed" : "full")).increment();
    }

    @Override
    public void failed(String certificateId, String thumbprint, ErrorCode reason) {
        counter(new Key(certificateId, thumbprint, reason.code())).increment();
    }

    private Counter counter(Key key) {
        Counter counter = counters.get(key);
        return counter != null ? counter : counters.computeIfAbsent(key, this::register);
    }

    private Counter register(Key key) {
        boolean succeeded = "full".equals(key.outcome()) || "resumed".equals(key.outcome());
        return Counter.builder(succeeded ? "certgate.tls.handshakes" : "certgate.tls.handshake.failures")
                .description(succeeded ? "TLS handshakes with back ends, made anew (full) or resumed"
                        : "TLS handshakes with back ends that failed, by the error table's reason")
                .tag("certificate_id", PoolMeters.orNone(key.certificateId()))
                .tag("thumbprint", PoolMeters.orNone(key.thumbprint()))
                .tag(succeeded ? "session" : "reason", key.outcome())
                .register(registry);
    }
}
