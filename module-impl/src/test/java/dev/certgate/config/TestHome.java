package dev.certgate.config;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/** Writes a Certgate home's configuration files for tests, in the shapes users write them. */
final class TestHome {
    /** A policy that presents certificate {@code certificateId} and routes to backend {@code backendId}. */
    static String policyUsing(String certificateId, String backendId) {
        return "<policies>\n"
                + "  <inbound>\n"
                + "    <base />\n"
                + "    <authentication-certificate certificate-id=\"" + certificateId + "\" />\n"
                + "    <set-backend-service backend-id=\"" + backendId + "\" />\n"
                + "  </inbound>\n"
                + "  <backend><base /></backend>\n"
                + "  <outbound><base /></outbound>\n"
                + "  <on-error><base /></on-error>\n"
                + "</policies>\n";
    }

    final Path home;
    final HomeLayout layout;

    TestHome(Path home) {
        this.home = home;
        this.layout = new HomeLayout(home);
    }

    TestHome api(String id, String path) {
        return api(id, path, "https://" + id + ".example.test");
    }

    TestHome api(String id, String path, String serviceUrl) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("displayName", id);
        properties.put("path", path);
        if (serviceUrl != null) {
            properties.put("serviceUrl", serviceUrl);
        }
        properties.put("protocols", List.of("https"));
        return write(layout.apiInformation(id), envelope(properties));
    }

    TestHome operation(String apiId, String opId, String method, String urlTemplate) {
        return write(layout.operationInformation(apiId, opId),
                envelope(Map.of("displayName", opId, "method", method, "urlTemplate", urlTemplate)));
    }

    TestHome backend(String id, String url, String... certificateIds) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("url", url);
        properties.put("protocol", "http");
        if (certificateIds.length > 0) {
            properties.put("credentials", Map.of("certificateIds", List.of(certificateIds)));
        }
        return write(layout.backendInformation(id), envelope(properties));
    }

    /** The metadata, and a stand-in for its key store (the loader only checks that it is there). */
    TestHome certificate(String id, String thumbprint) {
        writeSecret(layout.certificateKeyStore(id), "key store");
        return write(layout.certificateInformation(id), envelope(Map.of("subject", "CN=" + id, "issuer", "CN=Test CA",
                "thumbprint", thumbprint, "expirationDate", "2099-01-01T00:00:00Z")));
    }

    TestHome globalPolicy(String xml) {
        return write(layout.globalPolicy(), xml);
    }

    TestHome apiPolicy(String apiId, String xml) {
        return write(layout.apiPolicy(apiId), xml);
    }

    TestHome operationPolicy(String apiId, String opId, String xml) {
        return write(layout.operationPolicy(apiId, opId), xml);
    }

    /** Any file, by its path relative to the home. */
    TestHome file(String relative, String content) {
        return write(home.resolve(relative), content);
    }

    Path path(String relative) {
        return home.resolve(relative);
    }

    static String envelope(Map<String, ?> properties) {
        try {
            return Json.MAPPER.writeValueAsString(Map.of("properties", properties));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** As the gateway keeps secrets: its folders owner-only, where the file system has permissions. */
    private void writeSecret(Path file, String content) {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(file.getParent(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestHome write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} until it holds, failing after {@code limit}: waits for the watcher without fixed sleeps. */
    static void await(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
