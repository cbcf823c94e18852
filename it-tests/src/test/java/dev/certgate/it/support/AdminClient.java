package dev.certgate.it.support;

import dev.certgate.testsupport.RawHttp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small client of the admin API over real HTTP (java.net.http): Basic credentials sent up front, JSON,
 * raw and multipart bodies, extra headers such as If-Match. Paths are relative to {@code /admin/}.
 */
public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final URI admin;
    private final String authorization;

    private AdminClient(URI base, String authorization) {
        this.admin = base.resolve("admin/");
        this.authorization = authorization;
    }

    /** As the test realm's admin user. */
    public static AdminClient admin(URL base) {
        return as(base, TestRealm.USER, TestRealm.password());
    }

    public static AdminClient as(URL base, String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new AdminClient(uri(base), "Basic " + token);
    }

    /** Without credentials. */
    public static AdminClient anonymous(URL base) {
        return new AdminClient(uri(base), null);
    }

    public URI uri(String path) {
        return admin.resolve(path);
    }

    public Reply get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public Reply delete(String path, String... headers) {
        return send(request(path, headers).DELETE());
    }

    /** PUT of {@code body} serialised as JSON (a Map, a record, or a String that already is JSON). */
    public Reply putJson(String path, Object body, String... headers) {
        return put(path, "application/json", json(body).getBytes(StandardCharsets.UTF_8), headers);
    }

    public Reply put(String path, String contentType, byte[] body, String... headers) {
        return send(request(path, headers).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A {@code multipart/form-data} PUT: each value is a String (a field) or byte[] (a file). */
    public Reply putMultipart(String path, Map<String, Object> parts, String... headers) {
        return putMultipart(path, List.copyOf(parts.entrySet()), headers);
    }

    /** As above, with the parts in this order, a name possibly more than once. */
    public Reply putMultipart(String path, List<Map.Entry<String, Object>> parts, String... headers) {
        String boundary = "certgate-" + UUID.randomUUID();
        return put(path, "multipart/form-data; boundary=" + boundary, multipart(boundary, parts), headers);
    }

    /** Sends a request with any method and body, for the refusal paths. */
    public Reply send(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = request(path, headers).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    /**
     * Sends only the head of a PUT that announces {@code length} bytes with {@code Expect: 100-continue}, as
     * curl does for large uploads, and answers what the server says before any of the body is sent. (The JDK 17
     * client waits forever when such a request gets a final answer instead of 100, hence the raw socket.)
     */
    public RawHttp.Response announcePut(String path, String contentType, long length) throws IOException {
        URI target = uri(path);
        String head = "PUT " + target.getRawPath() + " HTTP/1.1\nHost: " + target.getHost() + ":" + target.getPort()
                + "\nAuthorization: " + authorization + "\nContent-Type: " + contentType + "\nContent-Length: " + length
                + "\nExpect: 100-continue\nConnection: close\n\n";
        return RawHttp.exchange(target.getPort(), head);
    }

    public static String json(Object body) {
        if (body instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static boolean staleConnection(IOException failure) {
        return failure.getMessage() != null && failure.getMessage().contains("received no bytes");
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.build();
            try {
                return Reply.of(HTTP.send(built, HttpResponse.BodyHandlers.ofString()));
            } catch (IOException e) {
                // A kept-alive connection from an earlier test class whose deployment has gone: the server closed it
                // before reading this request. An idempotent request may be sent again on a new one (RFC 9112 9.3.1).
                if (!staleConnection(e) || built.method().equals("POST")) {
                    throw e;
                }
                return Reply.of(HTTP.send(built, HttpResponse.BodyHandlers.ofString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] multipart(String boundary, List<Map.Entry<String, Object>> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(part -> {
            String name = part.getKey();
            Object value = part.getValue();
            boolean file = value instanceof byte[];
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                    + (file ? "; filename=\"" + name + ".bin\"\r\nContent-Type: application/octet-stream" : "")
                    + "\r\n\r\n";
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file ? (byte[]) value : value.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static URI uri(URL base) {
        try {
            String text = base.toExternalForm();
            return URI.create(text.endsWith("/") ? text : text + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Bad base URL " + base, e);
        }
    }
}
