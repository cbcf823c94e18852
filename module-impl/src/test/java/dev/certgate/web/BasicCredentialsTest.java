package dev.certgate.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class BasicCredentialsTest {
    @Test
    void basicCredentialsGiveTheUserAndDropThePassword() {
        BasicCredentials credentials = BasicCredentials.of("Basic " + base64("admin:s3cret:with-colon"));

        assertThat(credentials.kind()).isEqualTo(BasicCredentials.Kind.BASIC);
        assertThat(credentials.user()).isEqualTo("admin");
        assertThat(credentials.toString()).doesNotContain("s3cret");
    }

    @Test
    void everyOtherHeaderIsToldApart() {
        assertThat(BasicCredentials.of(null).kind()).isEqualTo(BasicCredentials.Kind.NONE);
        assertThat(BasicCredentials.of("Bearer abc").kind()).isEqualTo(BasicCredentials.Kind.NOT_BASIC);
        assertThat(BasicCredentials.of("Basic !!!!").kind()).isEqualTo(BasicCredentials.Kind.MALFORMED);
        assertThat(BasicCredentials.of("Basic").kind()).isEqualTo(BasicCredentials.Kind.MALFORMED);
        assertThat(BasicCredentials.of("basic " + base64("no-colon")).kind())
                .isEqualTo(BasicCredentials.Kind.MALFORMED);
    }

    @Test
    void theLoggedUserNameCannotForgeLogLinesOrFloodThem() {
        assertThat(BasicCredentials.of("Basic " + base64("eve\r\nINFO forged:x")).userForLog())
                .isEqualTo("'eve??INFO forged'");
        assertThat(BasicCredentials.of("Basic " + base64("u".repeat(500) + ":x")).userForLog())
                .hasSize(64 + 5).endsWith("...'");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
