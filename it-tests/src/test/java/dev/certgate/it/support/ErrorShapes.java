package dev.certgate.it.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two error shapes of CONTRACT §4 and §5, checked on a raw answer: the gateway's
 * {@code {statusCode, message, reason, requestId}} and the ARM {@code {"error": {code, message, details}}},
 * and in neither a stack trace, a class name or an HTML page.
 */
public final class ErrorShapes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> INTERNALS = List.of("Exception", "\tat ", "at java.", "at org.", "dev.certgate",
            "org.eclipse", "org.glassfish", "jakarta.", "java.lang", "<html", "<pre");

    private ErrorShapes() {
    }

    /** A gateway error with {@code status}; answers its JSON. */
    public static JsonNode assertGateway(int status, List<String> headerLines, String body) {
        JsonNode json = json(status, headerLines, body);
        assertThat(json.path("statusCode").asInt()).as(body).isEqualTo(status);
        assertThat(json.path("message").asText()).as(body).isNotBlank();
        assertThat(json.path("reason").asText()).as(body).isNotBlank();
        assertThat(json.path("requestId").asText()).as(body).isNotBlank();
        return json;
    }

    /** An ARM error; answers its {@code error} object. */
    public static JsonNode assertArm(List<String> headerLines, String body) {
        JsonNode error = json(0, headerLines, body).path("error");
        assertThat(error.path("code").asText()).as(body).isNotBlank();
        assertThat(error.path("message").asText()).as(body).isNotBlank();
        assertThat(error.path("details").isArray()).as(body).isTrue();
        return error;
    }

    public static void assertNoInternals(String body) {
        for (String internal : INTERNALS) {
            assertThat(body).as("the answer shows internals").doesNotContain(internal);
        }
    }

    private static JsonNode json(int status, List<String> headerLines, String body) {
        assertNoInternals(body);
        assertThat(headerLines).as("Content-Type of " + body)
                .anySatisfy(line -> assertThat(line.toLowerCase()).startsWith("content-type: application/json"));
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON (status " + status + "): " + body, e);
        }
    }
}
