package dev.certgate.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Per-API isolation: an error makes unavailable only what depends on it, and what served before keeps serving. */
class ApiIsolationTest {
    private static final ConfigService.Settings MANUAL =
            new ConfigService.Settings(false, Duration.ofHours(1), Duration.ofMillis(50));
    private static final String THUMBPRINT = "A1B2C3D4E5F60718293A4B5C6D7E8F9011223344";
    private static final String UNKNOWN_POLICY = "<policies>\n  <inbound>\n    <ip-filter action=\"allow\" />\n"
            + "  </inbound>\n</policies>\n";

    @TempDir
    Path dir;
    private TestHome home;
    private ConfigLoader loader;
    private final List<ConfigService> services = new ArrayList<>();

    @BeforeEach
    void setUp() {
        home = new TestHome(dir);
        loader = new ConfigLoader(home.layout);
    }

    @AfterEach
    void tearDown() {
        services.forEach(ConfigService::close);
    }

    @Test
    void anApiWithABrokenPolicyIsUnavailableWhileTheOthersAreServed() {
        home.api("good", "good").api("broken", "broken").apiPolicy("broken", UNKNOWN_POLICY);

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).containsOnlyKeys("good");
        assertThat(result.snapshot().unavailableApis()).containsOnlyKeys("broken");
        assertThat(result.apiErrors()).containsOnlyKeys("broken");
        assertThat(result.apiErrors().get("broken")).singleElement()
                .satisfies(e -> assertThat(e.file()).isEqualTo("config/apis/broken/policy.xml"));
        assertThat(result.valid()).as("an admin write still needs a configuration without any error").isFalse();
    }

    @Test
    void aBrokenFileNobodyUsesIsListedAndBlocksNothing() {
        home.api("a", "a")
                .file("config/backends/unused/backendInformation.json", "{ \"properties\": ")
                .file("config/certificates/unused/certificateInformation.json", TestHome.envelope(
                        java.util.Map.of("subject", "CN=x")));

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(ConfigError::file).containsExactlyInAnyOrder(
                "config/backends/unused/backendInformation.json",
                "config/certificates/unused/certificateInformation.json");
        assertThat(result.apiErrors()).isEmpty();
        assertThat(result.snapshot().apis()).containsOnlyKeys("a");
        assertThat(result.broken().backends()).containsExactly("unused");
    }

    @Test
    void anApiIsUnavailableWhenABackendOrCertificateItUsesIsBroken() {
        home.api("via-backend", "via-backend").apiPolicy("via-backend", TestHome.policyUsing("c1", "b1"))
                .certificate("c1", THUMBPRINT)
                .file("config/backends/b1/backendInformation.json", TestHome.envelope(
                        java.util.Map.of("url", "https://b1.test", "surprise", 1)))
                .api("via-certificate", "via-certificate").apiPolicy("via-certificate", TestHome.policyUsing("c2", "b2"))
                .backend("b2", "https://b2.test")
                .file("config/certificates/c2/certificateInformation.json", TestHome.envelope(
                        java.util.Map.of("subject", "CN=c2")))
                .api("bystander", "bystander");

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).containsOnlyKeys("bystander");
        assertThat(result.apiErrors().get("via-backend")).extracting(ConfigError::file)
                .containsExactly("config/backends/b1/backendInformation.json");
        assertThat(result.apiErrors().get("via-certificate")).extracting(ConfigError::file)
                .containsExactly("config/certificates/c2/certificateInformation.json");
        assertThat(result.snapshot().backends()).as("a broken backend is left out").containsOnlyKeys("b2");
    }

    @Test
    void anErrorInTheGlobalPolicyMakesEveryApiUnavailableAndTheFolderStillLoads() {
        home.globalPolicy(UNKNOWN_POLICY).api("a", "a").api("b", "b").backend("b1", "https://b1.test");

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).isEmpty();
        assertThat(result.snapshot().unavailableApis()).containsOnlyKeys("a", "b");
        assertThat(result.snapshot().backends()).containsOnlyKeys("b1");
        assertThat(result.apiErrors().get("a")).extracting(ConfigError::file).containsExactly("config/policy.xml");
        assertThat(result.broken().globalPolicy()).isTrue();
    }

    @Test
    void afterABadHandEditTheLastGoodVersionKeepsServingAndTheGenerationStays() {
        home.api("a", "a").apiPolicy("a", policyWithHeader("one")).api("b", "b");
        ConfigService service = start();
        GatewaySnapshot good = service.current();

        home.apiPolicy("a", UNKNOWN_POLICY);
        service.reloadNow();

        assertThat(service.current()).isSameAs(good);
        assertThat(service.status().generation()).isEqualTo(1);
        assertThat(service.status().errors()).extracting(ConfigError::file).containsExactly("config/apis/a/policy.xml");
        assertThat(service.status().apis()).extracting(ApiStatus::id, ApiStatus::state).containsExactly(
                tuple("a", ApiStatus.State.LAST_GOOD), tuple("b", ApiStatus.State.SERVED));

        home.api("b", "b2");
        service.reloadNow();

        assertThat(service.status().generation()).as("b's change is applied while a stays as it was").isEqualTo(2);
        assertThat(service.current().apis().get("b").properties().path()).isEqualTo("b2");
        assertThat(service.current().apis().get("a")).isEqualTo(good.apis().get("a"));

        home.apiPolicy("a", policyWithHeader("two"));
        service.reloadNow();

        assertThat(service.status().errors()).isEmpty();
        assertThat(service.status().generation()).isEqualTo(3);
        assertThat(service.current().apis().get("a")).isNotEqualTo(good.apis().get("a"));
        assertThat(service.status().apis()).extracting(ApiStatus::state).containsOnly(ApiStatus.State.SERVED);
    }

    @Test
    void aNewApiWithErrorsIsUnavailableWithoutRaisingTheGeneration() {
        home.api("a", "a");
        ConfigService service = start();

        home.api("new", "new").apiPolicy("new", UNKNOWN_POLICY);
        service.reloadNow();

        assertThat(service.status().generation()).isEqualTo(1);
        assertThat(service.current().apis()).containsOnlyKeys("a");
        assertThat(service.current().unavailableApis()).containsOnlyKeys("new");
        assertThat(service.status().apis()).extracting(ApiStatus::id, ApiStatus::state).containsExactly(
                tuple("a", ApiStatus.State.SERVED), tuple("new", ApiStatus.State.UNAVAILABLE));
    }

    @Test
    void aBrokenBackendKeepsItsLastGoodVersionForTheApisOnTheirLastGoodConfiguration() {
        home.certificate("c1", THUMBPRINT).backend("b1", "https://b1.test")
                .api("a", "a").apiPolicy("a", TestHome.policyUsing("c1", "b1"));
        ConfigService service = start();

        home.file("config/backends/b1/backendInformation.json", "{ broken");
        service.reloadNow();

        assertThat(service.current().backends().get("b1").url()).isEqualTo("https://b1.test");
        assertThat(service.current().apis()).containsOnlyKeys("a");
        assertThat(service.status().apis()).singleElement().satisfies(api -> {
            assertThat(api.state()).isEqualTo(ApiStatus.State.LAST_GOOD);
            assertThat(api.errors()).extracting(ConfigError::file)
                    .containsExactly("config/backends/b1/backendInformation.json");
        });
    }

    @Test
    void anApiWhoseLastGoodConfigurationNamesADeletedBackendIsUnavailable() throws Exception {
        home.backend("b1", "https://b1.test").api("a", "a").apiPolicy("a", TestHome.policyUsing("c1", "b1"))
                .certificate("c1", THUMBPRINT);
        ConfigService service = start();

        java.nio.file.Files.delete(home.layout.backendInformation("b1"));
        java.nio.file.Files.delete(home.layout.backendDir("b1"));
        service.reloadNow();

        assertThat(service.current().apis()).isEmpty();
        assertThat(service.current().unavailableApis()).containsOnlyKeys("a");
        assertThat(service.status().generation()).isEqualTo(2);
        assertThat(service.status().apis()).singleElement().satisfies(api -> {
            assertThat(api.state()).isEqualTo(ApiStatus.State.UNAVAILABLE);
            assertThat(api.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("backend-id \"b1\" does not exist"));
        });
    }

    @Test
    void aBrokenGlobalPolicyKeepsEveryApiOnItsLastGoodConfiguration() {
        home.globalPolicy(policyWithHeader("global")).api("a", "a").api("b", "b");
        ConfigService service = start();
        GatewaySnapshot good = service.current();

        home.globalPolicy(UNKNOWN_POLICY);
        service.reloadNow();

        assertThat(service.current()).isSameAs(good);
        assertThat(service.status().apis()).extracting(ApiStatus::state).containsOnly(ApiStatus.State.LAST_GOOD);
        assertThat(service.status().apis()).allSatisfy(api -> assertThat(api.errors()).extracting(ConfigError::file)
                .containsExactly("config/policy.xml"));
    }

    private ConfigService start() {
        ConfigService service = new ConfigService(home.layout, MANUAL);
        services.add(service);
        service.start();
        return service;
    }

    private static String policyWithHeader(String value) {
        return "<policies>\n  <inbound>\n    <base />\n    <set-header name=\"X-Test\" exists-action=\"override\">"
                + "<value>" + value + "</value></set-header>\n  </inbound>\n</policies>\n";
    }
}
