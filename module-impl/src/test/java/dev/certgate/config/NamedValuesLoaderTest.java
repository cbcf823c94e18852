package dev.certgate.config;

import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.SetHeader;
import dev.certgate.certs.MasterKey;
import dev.certgate.certs.SealedValues;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code config/named values}: plain values in the file, secret ones sealed under secrets/, Key Vault ones needing one. */
class NamedValuesLoaderTest {
    @TempDir
    Path dir;
    private TestHome home;
    private SealedValues sealed;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() {
        home = new TestHome(dir);
        sealed = new SealedValues(MasterKey.loadOrCreate(home.layout, Map.of()));
        loader = new ConfigLoader(home.layout, sealed);
    }

    private TestHome namedValue(String id, Map<String, ?> properties) {
        return home.file("config/named values/" + id + "/namedValueInformation.json", TestHome.envelope(properties));
    }

    private TestHome headerPolicy(String value) {
        return home.api("a", "a").apiPolicy("a", "<policies>\n  <inbound>\n    <set-header name=\"X-Key\">"
                + "<value>" + value + "</value></set-header>\n  </inbound>\n</policies>");
    }

    private List<Policy> inboundOfA(LoadResult result) {
        assertThat(result.errors()).isEmpty();
        return result.snapshot().apis().get("a").effectivePolicy().inbound();
    }

    @Test
    void aPlainValueComesFromTheFileAndASecretOneFromItsSealedFile() {
        namedValue("env", Map.of("displayName", "environment", "value", "prod", "secret", false, "tags", List.of("t")));
        namedValue("key", Map.of("displayName", "api-key", "secret", true));
        write("secrets/namedValues/key.sealed", sealed.seal("key", "k-123"));
        headerPolicy("{{environment}}/{{api-key}}");

        assertThat(inboundOfA(loader.load())).containsExactly(new SetHeader("X-Key", null, List.of("prod/k-123")));
    }

    @Test
    void aKeyVaultValueNeedsOneAndWhatUsesItIsAnErrorWhileTheCommandToSetItIsAWarning() {
        namedValue("vault", Map.of("displayName", "vault-secret", "secret", true, "keyVault",
                Map.of("secretIdentifier", "https://kv.vault.azure.net/secrets/s", "identityClientId", "c1")));
        headerPolicy("{{vault-secret}}");

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(ConfigError::describe).containsExactly("config/apis/a/policy.xml:3:37:"
                + " <value>: named value 'vault-secret' needs a value: it is kept in Azure Key Vault"
                + " (https://kv.vault.azure.net/secrets/s), which Certgate does not read; set one with: curl -u admin"
                + " -X PUT -H 'Content-Type: application/json' --data '{\"properties\": {\"displayName\":"
                + " \"vault-secret\", \"secret\": true, \"value\": \"...\"}}' <gateway>/admin/namedValues/vault");
        assertThat(result.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo(ConfigWarning.NEEDS_VALUE);
            assertThat(warning.file()).isEqualTo("config/named values/vault/namedValueInformation.json");
            assertThat(warning.message()).contains("needs a value", "PUT", "not served until then");
        });

        write("secrets/namedValues/vault.sealed", sealed.seal("vault", "from-the-admin-api"));
        assertThat(inboundOfA(loader.load())).containsExactly(new SetHeader("X-Key", null,
                List.of("from-the-admin-api")));
    }

    @Test
    void aSealedValueOfAnotherIdOrMasterKeyDoesNotOpenAndIsReported() {
        namedValue("key", Map.of("displayName", "api-key", "secret", true));
        write("secrets/namedValues/key.sealed", sealed.seal("other-id", "k-123"));
        headerPolicy("{{api-key}}");

        LoadResult result = loader.load();

        assertThat(result.errors()).singleElement().extracting(ConfigError::message).asString()
                .contains("named value 'api-key' needs a value");
        assertThat(result.warnings()).extracting(ConfigWarning::message)
                .anyMatch(m -> m.contains("cannot be decrypted with this master key"));
    }

    @Test
    void aBackendHeaderGetsItsNamedValueAndNeverKeepsALiteralReference() {
        namedValue("key", Map.of("displayName", "api-key", "secret", true));
        write("secrets/namedValues/key.sealed", sealed.seal("key", "k-123"));
        namedValue("host", Map.of("displayName", "orders-host", "value", "orders.internal.test"));
        home.file("config/backends/b/backendInformation.json", TestHome.envelope(Map.of("url",
                "https://{{orders-host}}:8443/v1", "credentials", Map.of("header", Map.of("X-Key",
                        List.of("{{api-key}}")), "query", Map.of("code", List.of("{{orders-host}}"))))));

        LoadResult result = loader.load();

        assertThat(result.errors()).isEmpty();
        assertThat(result.snapshot().backends().get("b").url()).isEqualTo("https://orders.internal.test:8443/v1");
        assertThat(result.snapshot().backends().get("b").credentials().header())
                .isEqualTo(Map.of("X-Key", List.of("k-123")));
        assertThat(result.snapshot().backends().get("b").credentials().unused().get("query"))
                .isEqualTo(Map.of("code", List.of("orders.internal.test")));

        home.file("config/backends/b/backendInformation.json", "{\n  \"properties\": {\n    \"url\": \"https://b.test\",\n"
                + "    \"credentials\": {\"header\": {\"X-Key\": [\"{{nowhere}}\"]}}\n  }\n}\n");
        assertThat(loader.load().errors()).extracting(ConfigError::describe).containsExactly(
                "config/backends/b/backendInformation.json:4:42: properties.credentials.header.X-Key[0]: named value"
                        + " 'nowhere' is not defined: no named value in config/named values has displayName 'nowhere'");
    }

    @Test
    void aBackendUrlThatIsNotOneWithASecretPutInIsRefusedWithoutQuotingIt() {
        namedValue("key", Map.of("displayName", "api-key", "secret", true));
        write("secrets/namedValues/key.sealed", sealed.seal("key", "not a host"));
        home.file("config/backends/b/backendInformation.json", TestHome.envelope(Map.of("url",
                "https://{{api-key}}/v1")));

        List<ConfigError> errors = loader.load().errors();

        assertThat(errors).extracting(ConfigError::message).containsExactly("properties.url is not an absolute http or"
                + " https URL once its secret named value is put in (not shown)");
    }

    @Test
    void twoNamedValuesWithOneDisplayNameAndAValueThatRefersToAnotherAreReported() {
        namedValue("one", Map.of("displayName", "Name", "value", "1"));
        namedValue("two", Map.of("displayName", "name", "value", "2"));
        namedValue("nested", Map.of("displayName", "nested", "value", "x{{Name}}"));
        headerPolicy("{{nested}}");

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(ConfigError::describe).containsExactly(
                "config/named values/two/namedValueInformation.json: displayName \"name\" is already the display name"
                        + " of named value \"one\" (policies refer to named values by display name, in any case)",
                "config/apis/a/policy.xml:3:37: <value>: named value 'nested' has a value that contains {{...}}: a"
                        + " named value cannot refer to another; put the value itself in");
    }

    @Test
    void aSecretWrittenIntoConfigWorksButIsWarnedAbout() {
        namedValue("key", Map.of("displayName", "api-key", "secret", true, "value", "in-git"));
        headerPolicy("{{api-key}}");

        LoadResult result = loader.load();

        assertThat(inboundOfA(result)).containsExactly(new SetHeader("X-Key", null, List.of("in-git")));
        assertThat(result.warnings()).extracting(ConfigWarning::message).singleElement().asString()
                .contains("is written in config/, which holds no secrets");
    }

    private void write(String relative, byte[] content) {
        try {
            java.nio.file.Files.createDirectories(home.path(relative).getParent());
            java.nio.file.Files.write(home.path(relative), content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
