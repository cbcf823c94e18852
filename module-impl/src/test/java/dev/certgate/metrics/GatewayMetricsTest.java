package dev.certgate.metrics;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.ErrorCode;
import dev.certgate.observe.RequestRecord;
import dev.certgate.testsupport.PrometheusText;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.certgate.config.NoPreconditions.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The meters of a real runtime, fed request records as the proxy hands them over, scraped and parsed. */
class GatewayMetricsTest {
    @TempDir
    Path home;

    private CertgateRuntime runtime;

    @BeforeEach
    void start() {
        runtime = CertgateRuntime.start(home, Map.of(), name -> null);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void requestsAreCountedByApiOperationMethodAndStatusClassWithLatencyBytesAndFailures() throws Exception {
        feed("shop", "get-order", "GET", 200, 2_000_000, 1_000_000, 0, 512, null);
        feed("shop", "get-order", "GET", 204, 30_000_000, 20_000_000, 0, 0, null);
        feed("shop", null, "PROPFIND", 502, 7_000_000, -1, 10, 0,
                ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED);
        feed(null, null, "get", 404, 1_000_000, -1, 0, 0,
                ErrorCode.RESOURCE_NOT_FOUND);

        PrometheusText scrape = scrape(GatewayMetrics.TEXT);

        assertThat(scrape.type("certgate_requests_total")).isEqualTo("counter");
        assertThat(scrape.value("certgate_requests_total", "api", "shop", "operation", "get-order", "method", "GET",
                "status_class", "2xx")).isEqualTo(2);
        assertThat(scrape.value("certgate_requests_total", "api", "shop", "operation", "none", "method", "other",
                "status_class", "5xx")).isEqualTo(1);
        // Only the standard methods, written as sent: "get" is not GET.
        assertThat(scrape.value("certgate_requests_total", "api", "none", "operation", "none", "method", "other",
                "status_class", "4xx")).isEqualTo(1);
        assertThat(scrape.type("certgate_request_duration_seconds")).isEqualTo("histogram");
        assertThat(scrape.value("certgate_request_duration_seconds_count", "api", "shop")).isEqualTo(3);
        assertThat(scrape.value("certgate_request_duration_seconds_sum", "api", "shop")).isCloseTo(0.039,
                within(1e-9));
        assertThat(scrape.value("certgate_request_duration_seconds_bucket", "api", "shop", "le", "0.005"))
                .isEqualTo(1);
        assertThat(scrape.value("certgate_request_duration_seconds_bucket", "api", "shop", "le", "0.01"))
                .isEqualTo(2);
        assertThat(scrape.value("certgate_request_duration_seconds_bucket", "api", "shop", "le", "+Inf"))
                .isEqualTo(3);
        assertThat(scrape.value("certgate_backend_duration_seconds_count", "api", "shop")).isEqualTo(2);
        assertThat(scrape.value("certgate_backend_duration_seconds_sum", "api", "shop")).isCloseTo(0.021,
                within(1e-9));
        assertThat(scrape.value("certgate_request_bytes_total", "api", "shop")).isEqualTo(10);
        assertThat(scrape.value("certgate_response_bytes_total", "api", "shop")).isEqualTo(512);
        assertThat(scrape.value("certgate_failures_total", "api", "shop", "reason", "BackendTlsHandshakeFailed"))
                .isEqualTo(1);
        assertThat(scrape.value("certgate_failures_total", "api", "none", "reason", "ResourceNotFound"))
                .isEqualTo(1);
    }

    @Test
    void aRequestRecordIsReadWhole() throws Exception {
        RequestRecord record = new RequestRecord("r1", null, "192.0.2.1", "POST", "/orders");
        record.route("shop", "create-order");
        record.backend("https://backend.test", "alpha", "AB12");
        record.addRequestBytes(100);
        record.backendStarted();
        record.backendAnswered(201);
        record.addResponseBytes(20);
        record.completed(201, true);

        runtime.metrics().requests().completed(record);

        PrometheusText scrape = scrape(GatewayMetrics.TEXT);
        assertThat(scrape.value("certgate_requests_total", "api", "shop", "operation", "create-order",
                "method", "POST", "status_class", "2xx")).isEqualTo(1);
        assertThat(scrape.value("certgate_request_duration_seconds_count", "api", "shop")).isEqualTo(1);
        assertThat(scrape.value("certgate_request_duration_seconds_sum", "api", "shop"))
                .isCloseTo(record.totalNanos() / 1e9, within(1e-9));
        assertThat(scrape.value("certgate_backend_duration_seconds_count", "api", "shop")).isEqualTo(1);
        assertThat(scrape.value("certgate_request_bytes_total", "api", "shop")).isEqualTo(100);
        assertThat(scrape.value("certgate_response_bytes_total", "api", "shop")).isEqualTo(20);
        assertThat(scrape.samples("certgate_failures_total")).isEmpty();
    }

    @Test
    void requestsInFlightAreTheProxysOwnCount() throws Exception {
        // The runtime wires the proxy's count; nothing is in flight in this test.
        assertThat(scrape(GatewayMetrics.TEXT).value("certgate_requests_in_flight"))
                .isEqualTo(runtime.proxy().inFlight()).isZero();
    }

    @Test
    void certificatesAndAuthoritiesShowTheSecondsUntilTheyExpireAndFollowTheConfiguration() throws Exception {
        Instant inFiveDays = Instant.now().plus(Duration.ofDays(5));
        TestPki.Issued client = TestPki.issue(TestCerts.CLIENT_CA, TestPki.spec().subject("CN=soon").clientAuth().ec()
                .validity(Instant.now().minus(Duration.ofDays(1)), inFiveDays));
        String thumbprint = runtime.certificates().put("soon", client.pkcs12("pw"), "pw".toCharArray(), NONE)
                .properties().thumbprint();
        TestPki.Issued expired = TestPki.selfSigned(TestPki.spec().subject("CN=Old CA").ca().ec()
                .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(2))));
        runtime.authorities().put("old", TestPki.pem(expired.certificate()).getBytes(StandardCharsets.US_ASCII), NONE);

        PrometheusText scrape = scrape(GatewayMetrics.TEXT);
        assertThat(scrape.value("certgate_certificate_expiry_seconds", "certificate_id", "soon",
                "thumbprint", thumbprint)).isCloseTo(432_000, within(120.0));
        assertThat(scrape.value("certgate_authority_expiry_seconds", "authority_id", "old"))
                .isCloseTo(-172_800, within(120.0));

        // An expirationDate edited by hand in the metadata: the gauge keeps the stored certificate's.
        Path metadata = runtime.config().layout().certificateInformation("soon");
        String described = runtime.config().current().certificates().get("soon").expirationDate().toString();
        Files.writeString(metadata, Files.readString(metadata).replace(described, "2099-01-01T00:00:00Z"));
        runtime.config().loadIfChanged();
        assertThat(runtime.config().current().certificates().get("soon").expirationDate())
                .isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (runtime.certificates().keys().storedNotAfter("soon").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(scrape(GatewayMetrics.TEXT).value("certgate_certificate_expiry_seconds", "certificate_id", "soon",
                "thumbprint", thumbprint)).isCloseTo(432_000, within(120.0));

        runtime.certificates().delete("soon", NONE);
        assertThat(scrape(GatewayMetrics.TEXT).samples("certgate_certificate_expiry_seconds")).isEmpty();
    }

    @Test
    void theConfigurationShowsItsGenerationLoadsErrorsAndApis() throws Exception {
        PrometheusText scrape = scrape(GatewayMetrics.TEXT);
        assertThat(scrape.value("certgate_config_generation"))
                .isEqualTo(runtime.config().status().generation()).isPositive();
        assertThat(scrape.value("certgate_config_load_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("certgate_config_load_seconds_sum")).isPositive();
        assertThat(scrape.value("certgate_config_errors")).isZero();
        assertThat(scrape.value("certgate_apis", "state", "served")).isZero();
        assertThat(scrape.value("certgate_apis", "state", "unavailable")).isZero();
    }

    @Test
    void theJvmBasicsAreThereUnderTheirUsualNames() throws Exception {
        PrometheusText scrape = scrape(GatewayMetrics.TEXT);
        assertThat(scrape.value("jvm_memory_used_bytes", "area", "heap", "id", heapPool(scrape))).isPositive();
        assertThat(scrape.value("jvm_threads_live_threads")).isPositive();
        assertThat(scrape.value("jvm_classes_loaded_classes")).isPositive();
        assertThat(scrape.value("system_cpu_count")).isPositive();
        assertThat(scrape.value("process_uptime_seconds")).isPositive();
        assertThat(scrape.has("jvm_gc_max_data_size_bytes") || scrape.has("jvm_gc_memory_allocated_bytes_total"))
                .isTrue();
    }

    @Test
    void openMetricsIsAnsweredWhenAsked() throws Exception {
        assertThat(GatewayMetrics.contentType(null)).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(GatewayMetrics.contentType("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"))
                .isEqualTo(GatewayMetrics.OPEN_METRICS);
        feed("shop", null, "GET", 200, 1, 1, 0, 0, null);
        String text = text(GatewayMetrics.OPEN_METRICS);
        assertThat(text).endsWith("# EOF\n").contains("certgate_requests_total{");
    }

    private static String heapPool(PrometheusText scrape) {
        return scrape.samples("jvm_memory_used_bytes").stream().filter(s -> "heap".equals(s.labels().get("area")))
                .findFirst().orElseThrow().labels().get("id");
    }

    /** Figures with exact durations; {@link #aRequestRecordIsReadWhole} covers the hand-over of a real record. */
    private void feed(String api, String operation, String method, int status, long totalNanos, long backendNanos,
                      long requestBytes, long responseBytes, ErrorCode failure) {
        ((RequestMeters) runtime.metrics().requests()).record(api, operation, method, status, totalNanos,
                backendNanos, requestBytes, responseBytes, failure);
    }

    private PrometheusText scrape(String contentType) throws Exception {
        return PrometheusText.parse(text(contentType));
    }

    private String text(String contentType) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        runtime.metrics().scrape(contentType, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
