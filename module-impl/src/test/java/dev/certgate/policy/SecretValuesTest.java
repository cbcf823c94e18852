package dev.certgate.policy;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecretValuesTest {
    @Test
    void everySecretIsWrittenAsItsReferenceInAnyCaseAndAsAThumbprintWithoutColons() {
        SecretValues secrets = SecretValues.of(Map.of("host", "Hidden.Example", "print", "AB:CD:EF"));

        assertThat(secrets.keepOut("Connect to https://hidden.example:443 [HIDDEN.EXAMPLE/10.0.0.1] failed"))
                .isEqualTo("Connect to https://{{host}}:443 [{{host}}/10.0.0.1] failed");
        assertThat(secrets.keepOut("thumbprint abcdef or AB:CD:EF")).isEqualTo("thumbprint {{print}} or {{print}}");
        assertThat(secrets.keepOut("nothing secret")).isEqualTo("nothing secret");
        assertThat(secrets.keepOut(null)).isNull();
    }

    @Test
    void aLongerValueIsReplacedBeforeAShorterOneInsideIt() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("short", "key");
        values.put("long", "api-key-42");

        assertThat(SecretValues.of(values).keepOut("sent api-key-42 and key"))
                .isEqualTo("sent {{long}} and {{short}}");
    }

    @Test
    void aReferenceNameWithRegexReplacementCharactersIsWrittenLiterally() {
        assertThat(SecretValues.of(Map.of("a$1", "value")).keepOut("the value")).isEqualTo("the {{a$1}}");
    }

    @Test
    void combinedValuesKeepBothOutAndNoneKeepsNothingOut() {
        SecretValues before = SecretValues.of(Map.of("old", "first-secret"));
        SecretValues now = SecretValues.of(Map.of("new", "second-secret"));

        assertThat(now.and(before).keepOut("first-secret, second-secret")).isEqualTo("{{old}}, {{new}}");
        assertThat(SecretValues.NONE.isEmpty()).isTrue();
        assertThat(SecretValues.of(Map.of("empty", "")).isEmpty()).isTrue();
        assertThat(SecretValues.NONE.and(now)).isSameAs(now);
        assertThat(now.toString()).doesNotContain("second-secret");
    }
}
