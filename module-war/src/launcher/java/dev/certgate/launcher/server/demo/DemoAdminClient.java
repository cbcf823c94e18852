package dev.certgate.launcher.server.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Configures the demo through the gateway's own admin API, the same code path a user's {@code curl}
 * takes: every call is an unconditional {@code PUT}, so a second start with the same home replaces
 * what the first one wrote.
 */
final class DemoAdminClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI admin;
    private final String authorization;

    DemoAdminClient(URI gateway, String authorization) {
        this.admin = gateway.resolve("admin/");
        this.authorization = authorization;
    }

    /** {@code PUT /admin/<path>} with a JSON body; anything but 200 or 201 is an error quoting the answer. */
    void putJson(String path, String json) throws IOException, InterruptedException {
        put(path, "application/json", json);
    }

    /** {@code PUT /admin/<path>} with a raw policy document. */
    void putPolicyXml(String path, String xml) throws IOException, InterruptedException {
        put(path, "application/vnd.ms-azure-apim.policy.raw+xml", xml);
    }

    private void put(String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(admin.resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", authorization)
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            // The admin API's error bodies name the problem and never carry secrets (CONTRACT §5).
            throw new IllegalStateException("the demo's PUT /admin/" + path + " answered " + response.statusCode()
                    + ": " + response.body());
        }
    }
}
