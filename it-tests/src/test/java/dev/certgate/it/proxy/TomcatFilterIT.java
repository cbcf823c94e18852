package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Pem;
import dev.certgate.it.support.Poll;
import dev.certgate.it.tomcat.TomcatServer;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code CertgateFilter} inside someone else's web application on a real Tomcat (CONTRACT §6), beside the Certgate
 * WAR that administers their shared home: requests matching an API are proxied and everything else reaches the
 * application. Two such applications: one whose filter is not {@code <async-supported>} (the request waits on its
 * container thread), and one set up as the README asks for the non-blocking path outside Jetty (async-supported
 * and mapped for {@code ASYNC} dispatches), where a caller who leaves drops its back-end call at once. In both, an
 * answer whose back end breaks off resets the caller's connection without an error in Tomcat's log. Tagged
 * {@code async-only}: Tomcat runs the default path whatever the Failsafe execution sets for its own JVM.
 */
@Tag("async-only")
class TomcatFilterIT {
    private static final String ADMIN_PASSWORD = "tomcat-filter-admin-password";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final TestPki.Issued CLIENT = TestCerts.client("tomcat-shop-client");

    @TempDir
    Path directory;

    @ParameterizedTest(name = "Tomcat {0}")
    @FieldSource("dev.certgate.it.tomcat.TomcatServer#VERSIONS")
    void theFilterProxiesApiRequestsAndPassesTheRestToTheApplication(String version) throws Exception {
        Path home = Files.createDirectories(directory.resolve("home"));
        Path shopWar = export(ShopApplication.war("shop.war", home), directory.resolve("shop.war"));
        Path asyncShopWar = export(ShopApplication.war("async-shop.war", home, true), directory.resolve("async-shop.war"));
        CountDownLatch thinking = new CountDownLatch(1);
        AtomicLong leftAt = new AtomicLong();

        try (MtlsBackend backend = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
             RawTlsBackend thinker = RawTlsBackend.start(TestCerts.server(),
                     ForwardingChecks.thinkUntilDropped(thinking, leftAt));
             RawTlsBackend breaksOff = RawTlsBackend.start(TestCerts.server(), BrokenAnswers.BREAK_OFF);
             TomcatServer tomcat = TomcatServer.start(version, directory.resolve("tomcat-base"), home, ADMIN_PASSWORD,
                     List.of(), List.of(shopWar, asyncShopWar))) {
            tomcat.awaitReady(START_TIMEOUT);
            GatewaySetup setup = new GatewaySetup(AdminClient.as(tomcat.contextUri().toURL(), "admin", ADMIN_PASSWORD));
            setup.trustTestServersAndStoreClient(CLIENT);
            setup.apiPresenting("orders", "orders", backend.url() + "/orders-service", "client");
            setup.api("thinker", "thinker", thinker.url());
            setup.api("breaks-off", "breaks-off", breaksOff.url());

            for (String application : List.of("shop", "async-shop")) {
                URL applicationUrl = tomcat.contextUri().resolve("/" + application + "/").toURL();
                Caller caller = new Caller(applicationUrl);
                // Until the application's file watch has loaded the API, its own servlet answers.
                Poll.until(Duration.ofSeconds(20), () -> caller.get("orders/0"), r -> r.body().startsWith("{"));

                HttpResponse<String> proxied = caller.get("orders/42?full=yes");
                assertThat(proxied.statusCode()).as(application + ": " + proxied.body()).isEqualTo(200);
                JsonNode echo = Caller.json(proxied.body());
                assertThat(echo.path("path").asText()).isEqualTo("/orders-service/42");
                assertThat(echo.path("query").asText()).isEqualTo("full=yes");
                assertThat(echo.path("clientThumbprint").asText()).isEqualTo(Pem.sha1(CLIENT.certificate()));

                HttpResponse<String> own = caller.get("catalog/shoes?size=42");
                assertThat(own.statusCode()).as(application).isEqualTo(200);
                assertThat(own.body()).isEqualTo("shop: GET /catalog/shoes?size=42");

                BrokenAnswers.assertCallerReset(applicationUrl, "GET /" + application
                        + "/breaks-off/chunked HTTP/1.0\r\nHost: shop\r\n\r\n");
                assertThat(tomcat.output()).as(application + ": a broken answer is no error of Tomcat's")
                        .doesNotContain("SEVERE");
            }

            URL asyncShop = tomcat.contextUri().resolve("/async-shop/").toURL();
            ForwardingChecks.leavingCallerDropsTheBackEndConnection(asyncShop, "/async-shop/thinker/report",
                    thinking, leftAt);
            assertThat(tomcat.output()).doesNotContain("SEVERE");
        }
    }

    private static Path export(WebArchive war, Path file) {
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }
}
