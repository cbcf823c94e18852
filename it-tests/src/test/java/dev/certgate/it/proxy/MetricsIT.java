package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.PrometheusText;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 18, metrics: {@code GET /admin/metrics} through the real WAR, for the admin only, in the Prometheus text
 * format (or OpenMetrics when asked), parsed: pools and TLS handshakes after real calls over mutual TLS, a
 * certificate that expires in 5 days, the configuration, the JVM.
 */
@ExtendWith(ArquillianExtension.class)
class MetricsIT {
    private static final String METRICS_PATH = "/metrics";
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    /** A back end whose certificate no configured authority issued: our side refuses its chain. */
    private static final MtlsBackend UNTRUSTED = MtlsBackend.start(
            TestCerts.server(TestPki.ca("CN=Certgate IT Untrusted CA")), TestCerts.CLIENT_CA.certificate());
    private static boolean configured;
    private static String thumbprint;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(MetricsIT.class);
        // Read by this deployment's start only; cleared before any other test class deploys.
        System.setProperty("certgate.metrics.path", METRICS_PATH);
        return CertgateWar.forClass(MetricsIT.class);
    }

    @BeforeAll
    static void clearTheMetricsPath() {
        System.clearProperty("certgate.metrics.path");
    }

    @AfterAll
    static void stopBackends() {
        BACKEND.close();
        UNTRUSTED.close();
    }

    /** One certificate expiring in 5 days, an API presenting it, one call through it; one call to the untrusted. */
    @BeforeEach
    void configureAndCallOnce() {
        if (configured) {
            return;
        }
        GatewaySetup setup = new GatewaySetup(base);
        setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
        TestPki.Issued soon = TestPki.issue(TestCerts.CLIENT_CA, TestPki.spec().subject("CN=soon").clientAuth().ec()
                .validity(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(5))));
        thumbprint = setup.certificate("soon", soon);
        setup.apiPresenting("metered", "metered", BACKEND.url() + "/m", "soon");
        setup.apiPresenting("untrusted", "untrusted", UNTRUSTED.url() + "/u", "soon");
        new Caller(base).echo("metered/one");
        assertThat(new Caller(base).get("untrusted/one").statusCode()).isEqualTo(500);
        configured = true;
    }

    private PrometheusText scrape() {
        Reply reply = AdminClient.admin(base).get("metrics");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(reply.body());
    }

    @Test
    void withoutCredentialsTheScrapeIsRefused() {
        Reply reply = AdminClient.anonymous(base).get("metrics");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body()).doesNotContain("certgate_");
    }

    @Test
    void poolsAndHandshakesShowByCertificateIdAndThumbprint() {
        PrometheusText scrape = scrape();
        String[] pool = {"certificate_id", "soon", "thumbprint", thumbprint};
        assertThat(scrape.value("certgate_pool_max", pool)).isPositive();
        assertThat(scrape.value("certgate_pool_leased", pool)).isZero();
        assertThat(scrape.value("certgate_pool_pending", pool)).isZero();
        assertThat(scrape.value("certgate_pool_available", pool)).isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("certgate_tls_handshakes_total", "certificate_id", "soon", "thumbprint", thumbprint,
                "session", "full")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("certgate_tls_handshake_failures_total", "certificate_id", "soon",
                "thumbprint", thumbprint, "reason", "BackendTlsValidationFailed")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCertificateExpiringInFiveDaysShowsAbout432000SecondsAndAuthoritiesTheirsToo() {
        PrometheusText scrape = scrape();
        assertThat(scrape.type("certgate_certificate_expiry_seconds")).isEqualTo("gauge");
        assertThat(scrape.value("certgate_certificate_expiry_seconds", "certificate_id", "soon",
                "thumbprint", thumbprint)).isCloseTo(432_000, within(600.0));
        double authority = scrape.value("certgate_authority_expiry_seconds", "authority_id", "test-server-ca");
        assertThat(authority).isCloseTo(TestCerts.SERVER_CA.certificate().getNotAfter().toInstant().getEpochSecond()
                - Instant.now().getEpochSecond(), within(600.0));
    }

    @Test
    void theConfigurationShowsItsGenerationLoadsErrorsAndApis() {
        long generation = AdminClient.admin(base).get("status").json().path("generation").asLong();
        PrometheusText scrape = scrape();
        assertThat(scrape.value("certgate_config_generation")).isEqualTo(generation);
        assertThat(scrape.value("certgate_config_errors")).isZero();
        assertThat(scrape.value("certgate_config_load_seconds_count")).isGreaterThanOrEqualTo(generation);
        assertThat(scrape.value("certgate_apis", "state", "served")).isEqualTo(2);
        assertThat(scrape.value("certgate_apis", "state", "unavailable")).isZero();
    }

    @Test
    void theJvmBasicsAreThere() {
        PrometheusText scrape = scrape();
        assertThat(scrape.samples("jvm_memory_used_bytes")).isNotEmpty();
        assertThat(scrape.value("jvm_threads_live_threads")).isPositive();
        assertThat(scrape.value("jvm_classes_loaded_classes")).isPositive();
        assertThat(scrape.value("system_cpu_count")).isPositive();
        assertThat(scrape.value("process_uptime_seconds")).isPositive();
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() {
        Reply reply = AdminClient.admin(base).get("metrics", "Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(reply.body()).contains("certgate_config_generation ").endsWith("# EOF\n");
    }

    /** Needs the proxy to report each request to {@code runtime.metrics().requests()} and the in-flight supplier. */
    @Test
    void realCallsAreCountedWithLatencyBytesAndFailures() {
        PrometheusText before = scrape();
        Caller caller = new Caller(base);
        for (int i = 0; i < 3; i++) {
            caller.echo("metered/call-" + i);
        }
        assertThat(caller.get("untrusted/again").statusCode()).isEqualTo(500);
        assertThat(caller.get("nothing-here/x").statusCode()).isEqualTo(404);

        String[] metered = {"api", "metered", "operation", "none", "method", "GET", "status_class", "2xx"};
        // A request is counted as its answer ends, which a caller holding the whole body need not wait for.
        PrometheusText after = Poll.until(Duration.ofSeconds(5), this::scrape,
                scrape -> scrape.find("certgate_failures_total", "api", "none", "reason", "ResourceNotFound").isPresent()
                        && scrape.find("certgate_failures_total", "api", "untrusted", "reason",
                                "BackendTlsValidationFailed").isPresent()
                        && count(scrape, "certgate_requests_total", metered)
                                - count(before, "certgate_requests_total", metered) >= 3
                        && count(scrape, "certgate_requests_in_flight") == 0);
        assertThat(after.value("certgate_requests_total", metered) - count(before, "certgate_requests_total",
                metered)).isEqualTo(3);
        assertThat(after.value("certgate_request_duration_seconds_count", "api", "metered")
                - count(before, "certgate_request_duration_seconds_count", "api", "metered")).isEqualTo(3);
        assertThat(after.value("certgate_request_duration_seconds_bucket", "api", "metered", "le", "+Inf"))
                .isEqualTo(after.value("certgate_request_duration_seconds_count", "api", "metered"));
        assertThat(after.value("certgate_backend_duration_seconds_count", "api", "metered")
                - count(before, "certgate_backend_duration_seconds_count", "api", "metered")).isEqualTo(3);
        assertThat(after.value("certgate_response_bytes_total", "api", "metered")
                - count(before, "certgate_response_bytes_total", "api", "metered")).isPositive();
        assertThat(after.value("certgate_requests_total", "api", "untrusted", "method", "GET",
                "status_class", "5xx")).isGreaterThanOrEqualTo(1);
        assertThat(after.value("certgate_failures_total", "api", "untrusted", "reason",
                "BackendTlsValidationFailed")).isGreaterThanOrEqualTo(1);
        assertThat(after.value("certgate_failures_total", "api", "none", "reason", "ResourceNotFound"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value("certgate_requests_in_flight")).isZero();
        // Labels only from configuration: no raw path ever shows.
        assertThat(AdminClient.admin(base).get("metrics").body()).doesNotContain("call-0", "nothing-here");
    }

    /** Needs the gateway's servlet and filter to ask {@code runtime.metricsEndpoint().answer(...)} first. */
    @Test
    void theMetricsPathServesTheScrapeWithoutCredentials() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + METRICS_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(PrometheusText.parse(response.body()).value("certgate_config_generation")).isPositive();
    }

    private static double count(PrometheusText scrape, String name, String... labels) {
        return scrape.find(name, labels).map(PrometheusText.Sample::value).orElse(0.0);
    }
}
