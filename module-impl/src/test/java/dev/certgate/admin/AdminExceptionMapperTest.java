package dev.certgate.admin;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.config.Json;
import dev.certgate.policy.PolicyException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AdminExceptionMapperTest {
    @Test
    void aCertgateExceptionKeepsItsCodeMessageAndDetails() {
        ErrorDetail detail = new ErrorDetail("BackendInUse", "/apis/a/policies/policy", "named there");

        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.translate(
                new CertgateException(ErrorCode.CONFLICT, "in use", List.of(detail)));

        assertThat(refusal).isEqualTo(new AdminExceptionMapper.Refusal(409, "Conflict", "in use", List.of(detail)));
    }

    @Test
    void anOversizedBodyIs413EvenWhenAReaderWrappedIt() {
        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.translate(
                new ProcessingException("reading failed", new UncheckedIOException(new BodyTooLargeException(10))));

        assertThat(refusal.status()).isEqualTo(413);
        assertThat(refusal.code()).isEqualTo("PayloadTooLarge");
    }

    @Test
    void aPolicyErrorNamesLineColumnAndElement() {
        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.translate(
                new PolicyException("request body", 4, 5, "ip-filter", "unknown policy"));

        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.message()).isEqualTo("Invalid policy at line 4, column 5: <ip-filter>: unknown policy");
        assertThat(refusal.details()).extracting(ErrorDetail::target).containsExactly("ip-filter");
    }

    @Test
    void everyProblemOfAPolicyIsADetail() {
        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.translate(new PolicyException(List.of(
                new PolicyException.Problem("request body", 4, 5, "ip-filter", "unknown policy"),
                new PolicyException.Problem("request body", 6, 7, "value", "policy expression (line 6, column 7): not"
                        + " supported"))));

        assertThat(refusal.message()).isEqualTo("Invalid policy at line 4, column 5: <ip-filter>: unknown policy"
                + " (and 1 more)");
        assertThat(refusal.details()).extracting(ErrorDetail::target).containsExactly("ip-filter", "value");
        assertThat(refusal.details().get(1).message()).isEqualTo("request body:6:7: <value>: policy expression (line"
                + " 6, column 7): not supported");
    }

    @Test
    void aBodyCutShortInsideAValueIsMalformedJsonNotAValueOfTheWrongType() {
        JsonProcessingException cut = catchThrowableOfType(JsonProcessingException.class,
                () -> Json.MAPPER.readValue("{\"properties\": {\"data\": \"AAAA\", \"password\": \"s3cr",
                        new com.fasterxml.jackson.core.type.TypeReference<
                                dev.certgate.api.model.Entity<CertificateUpload>>() { }));

        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.translate(cut);

        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.message()).startsWith("The request body is not valid JSON at line 1")
                .endsWith("it ends before the JSON is complete").doesNotContain("s3cr");
    }

    @Test
    void malformedJsonGivesItsLocationButNotTheInput() {
        JsonProcessingException malformed = catchThrowableOfType(JsonProcessingException.class,
                () -> Json.MAPPER.readTree("{\n  \"password\": s3cret-value\n}"));

        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.translate(malformed);

        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.message()).contains("line 2").contains("column").doesNotContain("s3cret");
    }

    @Test
    void aPropertyGivenTwiceIsNamedWithItsLocationButNotItsValues() {
        JsonProcessingException twice = catchThrowableOfType(JsonProcessingException.class,
                () -> Json.MAPPER.readTree("{\"properties\": {\n  \"url\": \"https://a\",\n  \"url\": \"https://b\"}}"));

        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.translate(twice);

        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.code()).isEqualTo("ValidationError");
        assertThat(refusal.message()).startsWith("Property 'url' is given twice at line 3, column")
                .doesNotContain("https://");
        assertThat(refusal.details()).extracting(ErrorDetail::code, ErrorDetail::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("DuplicateProperty", "url"));
    }

    @Test
    void aBodyTheContainerCouldNotDeliverIsTheCallersFaultNotA500() {
        AdminExceptionMapper.Refusal ended = AdminExceptionMapper.translate(new jakarta.ws.rs.ProcessingException(
                new UnreadableBodyException(new java.io.EOFException("Early EOF"))));
        AdminExceptionMapper.Refusal stalled = AdminExceptionMapper.translate(new UnreadableBodyException(
                new java.io.IOException(new java.util.concurrent.TimeoutException("Idle timeout expired: 30000/30000 ms"))));
        AdminExceptionMapper.Refusal tomcatStalled = AdminExceptionMapper.translate(new UnreadableBodyException(
                new java.net.SocketTimeoutException("Read timed out")));

        assertThat(ended.status()).isEqualTo(400);
        assertThat(ended.code()).isEqualTo("BadRequest");
        assertThat(ended.message()).contains("ended before its stated length").contains("nothing was changed")
                .doesNotContain("EOF");
        assertThat(List.of(stalled, tomcatStalled)).allSatisfy(refusal -> {
            assertThat(refusal.status()).isEqualTo(408);
            assertThat(refusal.code()).isEqualTo("RequestBodyTimeout");
            assertThat(refusal.message()).contains("stopped arriving").doesNotContain("30000");
        });
    }

    @Test
    void aWrongTypeNamesTheFieldPath() {
        record Body(Props properties) {
        }
        JsonMappingException wrongType = catchThrowableOfType(JsonMappingException.class,
                () -> Json.MAPPER.readValue("{\"properties\": {\"protocols\": {\"a\": 1}}}", Body.class));

        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.translate(wrongType);

        assertThat(refusal.message()).startsWith("Invalid value for 'properties.protocols'");
        assertThat(refusal.details()).extracting(ErrorDetail::target).containsExactly("properties.protocols");
    }

    record Props(List<String> protocols) {
    }

    @Test
    void aWrongTypeSaysWhatWasExpectedInTheFilesWordsButNotTheValueGiven() {
        record Tls(Boolean validateCertificateChain) {
        }
        record Settings(Tls tls, String password) {
        }
        record Body(Settings properties) {
        }
        JsonMappingException notABoolean = catchThrowableOfType(JsonMappingException.class, () -> Json.MAPPER
                .readValue("{\"properties\": {\"tls\": {\"validateCertificateChain\": \"s3cret\"}}}",
                        Body.class));
        JsonMappingException notAString = catchThrowableOfType(JsonMappingException.class, () -> Json.MAPPER
                .readValue("{\"properties\": {\"password\": [\"s3cret\"]}}", Body.class));
        JsonMappingException notAList = catchThrowableOfType(JsonMappingException.class,
                () -> Json.MAPPER.readValue("{\"properties\": {\"protocols\": {\"a\": 1}}}",
                        ListBody.class));

        AdminExceptionMapper.Refusal bool = AdminExceptionMapper.translate(notABoolean);
        AdminExceptionMapper.Refusal string = AdminExceptionMapper.translate(notAString);
        AdminExceptionMapper.Refusal list = AdminExceptionMapper.translate(notAList);

        assertThat(bool.message())
                .startsWith("Invalid value for 'properties.tls.validateCertificateChain' at line 1")
                .endsWith(": expected true or false").doesNotContain("s3cret").doesNotContain("java.");
        assertThat(bool.details()).extracting(ErrorDetail::message).containsExactly("expected true or false");
        assertThat(string.message()).endsWith("'properties.password' at line 1, column 29: expected a string")
                .doesNotContain("s3cret");
        assertThat(list.details()).extracting(ErrorDetail::message).containsExactly("expected a list [...]");
    }

    record ListBody(Props properties) {
    }

    @Test
    void jerseysOwnRefusalsMapOntoTheErrorCodes() {
        assertThat(AdminExceptionMapper.translate(new NotFoundException()).code()).isEqualTo("ResourceNotFound");
        assertThat(AdminExceptionMapper.translate(new NotSupportedException()).code())
                .isEqualTo("UnsupportedMediaType");
        AdminExceptionMapper.Refusal notAllowed = AdminExceptionMapper.translate(new NotAllowedException("GET"));
        assertThat(notAllowed.status()).isEqualTo(405);
        assertThat(notAllowed.code()).isEqualTo("MethodNotAllowed");
    }

    @Test
    void anythingElseIsA500WithOnlyAnErrorId() {
        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.translate(
                new IllegalStateException("/secret/path/master.key unreadable"));

        assertThat(refusal.status()).isEqualTo(500);
        assertThat(refusal.message()).startsWith("Internal error").doesNotContain("master.key");
    }

    @Test
    void anUnsupportedMediaTypeNamesEveryTypeTheCallTakes() {
        AdminExceptionMapper.Refusal refusal = AdminExceptionMapper.unsupportedMediaType(
                List.of("application/json", "multipart/form-data"));

        assertThat(refusal.status()).isEqualTo(415);
        assertThat(refusal.code()).isEqualTo("UnsupportedMediaType");
        assertThat(refusal.message()).endsWith("accepts application/json, multipart/form-data");
        assertThat(refusal.details()).extracting(ErrorDetail::message)
                .containsExactly("application/json", "multipart/form-data");
        assertThat(refusal.details()).extracting(ErrorDetail::target).containsOnly("Content-Type");
    }
}
