package dev.certgate.proxy;

import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.SetHeader;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeadersTest {
    @Test
    void namesMatchInAnyCaseAndKeepTheirFirstSpellingAndPlace() {
        Headers headers = new Headers();
        headers.add("X-Trace", "1");
        headers.add("Accept", "text/plain");
        headers.add("x-TRACE", "2");
        headers.set("ACCEPT", List.of("application/json"));

        assertThat(fields(headers)).containsExactly("X-Trace=[1, 2]", "ACCEPT=[application/json]");
        assertThat(headers.values("x-trace")).containsExactly("1", "2");
        assertThat(headers.contains("accept")).isTrue();
    }

    @Test
    void textBeyondAsciiInAPolicyGoesOutAsUtf8Bytes() {
        Headers headers = new Headers();
        headers.add("X-Caller", "caf\u00c3\u00a9"); // a caller's UTF-8 bytes, as the container hands them over
        headers.apply(new SetHeader("X-Policy", ExistsAction.OVERRIDE, List.of("caf\u00e9 \u20ac \u65e5")));
        headers.apply(new SetHeader("X-Policy", ExistsAction.APPEND, List.of("\ud83d\ude00")));
        headers.setText("X-Credential", List.of("plain"));

        String expected = new String("caf\u00e9 \u20ac \u65e5".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        assertThat(headers.values("X-Policy")).containsExactly(expected,
                new String("\ud83d\ude00".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        assertThat(headers.values("X-Policy").get(0).chars()).allMatch(c -> c <= 0xFF);
        assertThat(headers.values("X-Caller")).containsExactly("caf\u00c3\u00a9");
        assertThat(headers.values("X-Credential")).containsExactly("plain");
    }

    @Test
    void setHeaderPoliciesOverrideSkipAppendAndDelete() {
        Headers headers = new Headers();
        headers.add("A", "1");
        headers.add("B", "1");
        headers.apply(new SetHeader("a", ExistsAction.SKIP, List.of("2")));
        headers.apply(new SetHeader("b", ExistsAction.APPEND, List.of("2")));
        headers.apply(new SetHeader("c", ExistsAction.OVERRIDE, List.of("3")));
        headers.apply(new SetHeader("A", ExistsAction.DELETE, List.of()));

        assertThat(fields(headers)).containsExactly("B=[1, 2]", "c=[3]");
    }

    @Test
    void manyFieldsAreFoundRemovedAndReplacedAlike() {
        Headers headers = new Headers();
        for (int i = 0; i < 40; i++) {
            headers.add("X-Field-" + i, "v" + i);
        }
        headers.add("x-field-7", "again");
        headers.remove("X-FIELD-3");
        headers.set("x-field-39", List.of("last"));
        headers.add("X-Field-3", "back");

        List<String> fields = fields(headers);
        assertThat(fields).hasSize(40);
        assertThat(fields.get(3)).isEqualTo("X-Field-4=[v4]");
        assertThat(fields.get(6)).isEqualTo("X-Field-7=[v7, again]");
        assertThat(fields.get(38)).isEqualTo("x-field-39=[last]");
        assertThat(fields.get(39)).isEqualTo("X-Field-3=[back]");
        assertThat(headers.values("X-FIELD-20")).containsExactly("v20");
        assertThat(headers.contains("x-field-3")).isTrue();
    }

    private static List<String> fields(Headers headers) {
        List<String> fields = new ArrayList<>();
        headers.forEachField((name, values) -> fields.add(name + "=" + values));
        return fields;
    }
}
