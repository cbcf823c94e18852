package dev.certgate.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponsesTest {
    @Test
    void aWarningFromFileContentCannotBreakOutOfItsHeader() {
        String fromAFile = "config/apis/a/policy.xml:2:3: unexpected \"x\\y\"\r\nSet-Cookie: s=1 caf\u00e9";

        String quoted = Responses.quoted(fromAFile);

        assertThat(quoted).isEqualTo("\"config/apis/a/policy.xml:2:3: unexpected \\\"x\\\\y\\\"??Set-Cookie: s=1 caf?\"");
        assertThat(quoted.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
