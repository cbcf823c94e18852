package dev.certgate.it.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.util.Optional;

/** One HTTP answer: status, headers and body, with the body as JSON on demand. */
public record Reply(int status, java.net.http.HttpHeaders headers, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Reply of(HttpResponse<String> response) {
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON (status " + status + "): " + body, e);
        }
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public String etag() {
        return header("ETag").orElseThrow(() -> new AssertionError("no ETag (status " + status + "): " + body));
    }

    /** The ARM error code, {@code error.code}. */
    public String errorCode() {
        return json().path("error").path("code").asText();
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
