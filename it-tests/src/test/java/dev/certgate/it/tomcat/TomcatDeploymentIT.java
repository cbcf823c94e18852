package dev.certgate.it.tomcat;

import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same {@code certgate.war} that runs with {@code java -jar} deployed unchanged into a real Tomcat, 10.1 and
 * 11 (the launcher classes at the WAR root must not disturb it): through the admin API, with Tomcat's own
 * realm, upload a client certificate and the back end's CA, create an API whose policy presents the
 * certificate by thumbprint, and call a back end that requires it.
 */
class TomcatDeploymentIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String ADMIN_PASSWORD = "tomcat-it-admin-password";
    private static final Pattern THUMBPRINT = Pattern.compile("\"thumbprint\"\\s*:\\s*\"([0-9A-F]{40})\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path directory;

    @ParameterizedTest(name = "Tomcat {0}")
    @FieldSource("dev.certgate.it.tomcat.TomcatServer#VERSIONS")
    void proxiesToAMutualTlsBackEndWithAnUploadedCertificate(String version) throws Exception {
        TestPki.Issued ca = TestPki.ca("CN=Tomcat IT CA");
        TestPki.Issued client = TestPki.client(ca, "tomcat-it-client");

        MtlsBackend backend = MtlsBackend.start(TestPki.server(ca), ca.certificate());
        TomcatServer tomcat = TomcatServer.start(version, directory.resolve("tomcat-base"), directory.resolve("home"),
                ADMIN_PASSWORD, List.of());
        try (backend; tomcat) {
            tomcat.awaitReady(START_TIMEOUT);
            assertThat(tomcat.output()).as("the Tomcat asked for").contains("Apache Tomcat/" + version + ".");
            URI admin = tomcat.contextUri().resolve("admin/");

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(admin.resolve("certificates")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as("the admin API needs a user in role certgate-admin").isEqualTo(401);

            HttpResponse<String> certificate = put(admin.resolve("certificates/it-client"), "application/json", """
                    {"properties": {"data": "%s", "password": "pfx-secret"}}"""
                    .formatted(base64(client.pkcs12("pfx-secret"))));
            assertThat(certificate.statusCode()).as(certificate.body()).isEqualTo(201);
            Matcher thumbprint = THUMBPRINT.matcher(certificate.body());
            assertThat(thumbprint.find()).as(certificate.body()).isTrue();

            HttpResponse<String> authority = put(admin.resolve("authorities/it-ca"), "application/json", """
                    {"properties": {"data": "%s"}}""".formatted(base64(TestPki.pem(ca.certificate()).getBytes(StandardCharsets.US_ASCII))));
            assertThat(authority.statusCode()).as(authority.body()).isEqualTo(201);

            HttpResponse<String> api = put(admin.resolve("apis/hello"), "application/json", """
                    {"properties": {"displayName": "Hello", "path": "hello", "serviceUrl": "%s", "protocols": ["http"]}}"""
                    .formatted(backend.url()));
            assertThat(api.statusCode()).as(api.body()).isEqualTo(201);

            HttpResponse<String> policy = put(admin.resolve("apis/hello/policies/policy"), "application/xml", """
                    <policies>
                      <inbound><base /><authentication-certificate thumbprint="%s" /></inbound>
                      <backend><base /></backend>
                      <outbound><base /></outbound>
                      <on-error><base /></on-error>
                    </policies>""".formatted(thumbprint.group(1)));
            assertThat(policy.statusCode()).as(policy.body()).isIn(200, 201);

            HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(tomcat.contextUri().resolve("hello/greeting?x=1"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(200);
            MtlsBackend.Seen seen = backend.lastRequest();
            assertThat(seen.clientThumbprint()).isEqualTo(thumbprint.group(1));
            assertThat(seen.path()).isEqualTo("/greeting");
            assertThat(seen.query()).isEqualTo("x=1");
            // Conscrypt's native library loads in Tomcat's web application class loader (Certgate would fall back to
            // the JDK's provider otherwise, and say so).
            assertThat(tomcat.output()).contains("Back-end TLS: Conscrypt");

            // Tomcat's conf/web.xml maps these to its JSP servlet, which would win over a "/" mapping.
            for (String name : new String[] {"page.jsp", "page.jspx"}) {
                HttpResponse<String> page = http.send(
                        HttpRequest.newBuilder(tomcat.contextUri().resolve("hello/" + name)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).as(name + ": " + page.body()).isEqualTo(200);
                assertThat(backend.lastRequest().path()).isEqualTo("/" + name);
            }
        }
        // Deployed, served and undeployed without complaint: the runtime closed its pools and threads.
        assertThat(tomcat.output()).doesNotContain("SEVERE").doesNotContain("failed to stop it");
    }

    private HttpResponse<String> put(URI uri, String contentType, String body) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Basic " + basic)
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
