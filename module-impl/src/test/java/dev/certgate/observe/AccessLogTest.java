package dev.certgate.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certgate.api.ErrorCode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 18: the access log's two line formats, and its setting. */
class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSuccessIsOneJsonObjectWithEveryField() throws Exception {
        RequestRecord record = new RequestRecord("0f8c1d2e-0000-4000-8000-000000000001", "callers-id",
                "10.1.2.3", "POST", "/shop/orders/17");
        record.route("shop", "post-order");
        record.backend("https://orders.internal", "client", "AB12");
        record.backendStarted();
        record.backendAnswered(201);
        record.addRequestBytes(12);
        record.addResponseBytes(345);
        record.completed(201, true);

        JsonNode line = JSON.readTree(AccessLog.json(record));
        assertThat(line.get("requestId").asText()).isEqualTo("0f8c1d2e-0000-4000-8000-000000000001");
        assertThat(line.get("correlationId").asText()).isEqualTo("callers-id");
        assertThat(line.get("caller").asText()).isEqualTo("10.1.2.3");
        assertThat(line.get("method").asText()).isEqualTo("POST");
        assertThat(line.get("path").asText()).isEqualTo("/shop/orders/17");
        assertThat(line.get("api").asText()).isEqualTo("shop");
        assertThat(line.get("operation").asText()).isEqualTo("post-order");
        assertThat(line.get("status").asInt()).isEqualTo(201);
        assertThat(line.get("backendStatus").asInt()).isEqualTo(201);
        assertThat(line.get("durationMs").asDouble()).isGreaterThanOrEqualTo(line.get("backendMs").asDouble());
        assertThat(line.get("requestBytes").asLong()).isEqualTo(12);
        assertThat(line.get("responseBytes").asLong()).isEqualTo(345);
        assertThat(line.get("certificateId").asText()).isEqualTo("client");
        assertThat(line.get("certificateThumbprint").asText()).isEqualTo("AB12");
        assertThat(line.get("reason").isNull()).isTrue();
        assertThat(line.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(AccessLog.text(record)).as("the text line names the fields as the JSON line does")
                .contains(" api=shop operation=post-order backendStatus=201 ")
                .endsWith(" requestBytes=12 certificateId=client certificateThumbprint=AB12 reason=-");
    }

    @Test
    void aCallerThatLeftIsMarkedInBothFormats() throws Exception {
        RequestRecord record = new RequestRecord("id-4", null, "127.0.0.1", "GET", "/slow");
        record.markCallerLeft();
        record.completed(200, true);

        assertThat(JSON.readTree(AccessLog.json(record)).get("callerLeft").asBoolean()).isTrue();
        assertThat(AccessLog.text(record)).endsWith(" reason=- callerLeft=true");
    }

    @Test
    void aCallerThatLeftBeforeAnyAnswerHasNoStatusThoughTheResponseSaysTwoHundred() throws Exception {
        RequestRecord record = new RequestRecord("id-5", null, "127.0.0.1", "GET", "/slow");
        record.markCallerLeft();
        record.completed(200, false); // a servlet response nobody wrote to still says 200

        assertThat(JSON.readTree(AccessLog.json(record)).get("status").isNull()).isTrue();
        assertThat(AccessLog.text(record)).contains("\"GET /slow\" - 0 ");
    }

    @Test
    void aFailureNamesItsReasonAndHasNoBackEndFigures() throws Exception {
        RequestRecord record = new RequestRecord("id-2", null, "127.0.0.1", "GET", "/nowhere");
        record.failed(ErrorCode.RESOURCE_NOT_FOUND);
        record.completed(404, true);

        JsonNode line = JSON.readTree(AccessLog.json(record));
        assertThat(line.get("reason").asText()).isEqualTo("ResourceNotFound");
        assertThat(line.get("backendStatus").isNull()).isTrue();
        assertThat(line.get("backendMs").isNull()).isTrue();
        assertThat(line.has("correlationId")).isFalse();

        assertThat(AccessLog.text(record)).startsWith("127.0.0.1 - - [")
                .contains("] \"GET /nowhere\" 404 0 requestId=id-2 correlationId=- api=- operation=- backendStatus=-")
                .endsWith(" certificateId=- certificateThumbprint=- reason=ResourceNotFound");
    }

    @Test
    void theTextLineEscapesWhatCouldForgeALineOrAField() {
        RequestRecord record = new RequestRecord("id-3", "a b\nforged=1", "127.0.0.1", "GET", "/x\"y z\r\nfake");
        record.completed(200, true);

        String line = AccessLog.text(record);
        assertThat(line).doesNotContain("\n").doesNotContain("\r")
                .contains("\"GET /x\\x22y\\x20z\\x0d\\x0afake\"")
                .contains("correlationId=a\\x20b\\x0aforged=1 ");
    }

    @Test
    void theSettingTakesJsonTextOrOffAndRefusesAnythingElseNamingItself() {
        assertThat(AccessLog.of(null).format()).isEqualTo(AccessLog.Format.JSON);
        assertThat(AccessLog.of(" Text ").format()).isEqualTo(AccessLog.Format.TEXT);
        assertThat(AccessLog.of("off").format()).isEqualTo(AccessLog.Format.OFF);
        assertThatThrownBy(() -> AccessLog.of("xml")).hasMessage("certgate.accessLog is \"xml\": use json, text or off");
    }
}
