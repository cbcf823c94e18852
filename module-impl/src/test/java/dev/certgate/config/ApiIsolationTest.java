package dev.certgate.config;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Per-API isolation: an error makes unavailable only what depends on it, and what served before keeps serving. */
class ApiIsolationTest {
    private static final ConfigService.Settings MANUAL =
            new ConfigService.Settings(false, Duration.ofHours(1), Duration.ofMillis(50));
    private static final String THUMBPRINT = "A1B2C3D4E5F60718293A4B5C6D7E8F9011223344";
    private static final String BAD_FRAGMENT = "config/policy fragments/bad/policy.xml";
    /** What Certgate refuses, in a fragment: a policy expression and a policy it does not know. */
    private static final String BROKEN_FRAGMENT = "<fragment>\n  <set-header name=\"X-Path\" exists-action=\"override\">\n"
            + "    <value>@(context.Request.Url.Path)</value>\n  </set-header>\n  <set-variable name=\"x\" value=\"1\" />\n"
            + "</fragment>\n";
    private static final Tuple[] FRAGMENT_ERRORS = {
            tuple(BAD_FRAGMENT, 3, 12), tuple(BAD_FRAGMENT, 5, 3)};
    /** Nothing but the fragment "bad", as a real extractor folder has it. */
    private static final String INCLUDES_BAD = "<policies><inbound><base/><include-fragment fragment-id=\"bad\"/>"
            + "</inbound><backend><base/></backend><outbound><base/></outbound><on-error><base/></on-error></policies>";
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
        service.loadIfChanged();

        assertThat(service.current()).isSameAs(good);
        assertThat(service.status().generation()).isEqualTo(1);
        assertThat(service.status().errors()).extracting(ConfigError::file).containsExactly("config/apis/a/policy.xml");
        assertThat(service.status().apis()).extracting(ApiStatus::id, ApiStatus::state).containsExactly(
                tuple("a", ApiStatus.State.LAST_GOOD), tuple("b", ApiStatus.State.SERVED));

        home.api("b", "b2");
        service.loadIfChanged();

        assertThat(service.status().generation()).as("b's change is applied while a stays as it was").isEqualTo(2);
        assertThat(service.current().apis().get("b").properties().path()).isEqualTo("b2");
        assertThat(service.current().apis().get("a")).isEqualTo(good.apis().get("a"));

        home.apiPolicy("a", policyWithHeader("two"));
        service.loadIfChanged();

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
        service.loadIfChanged();

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
        service.loadIfChanged();

        assertThat(service.current().backends().get("b1").url()).isEqualTo("https://b1.test");
        assertThat(service.current().apis()).containsOnlyKeys("a");
        assertThat(service.status().apis()).singleElement().satisfies(api -> {
            assertThat(api.state()).isEqualTo(ApiStatus.State.LAST_GOOD);
            assertThat(api.errors()).extracting(ConfigError::file)
                    .containsExactly("config/backends/b1/backendInformation.json");
        });
    }

    @Test
    void aBackendDeletedByHandWhileAnApiUsesItStaysWithTheApiOnItsLastGoodConfiguration() throws Exception {
        home.backend("b1", "https://b1.test").api("a", "a").apiPolicy("a", TestHome.policyUsing("c1", "b1"))
                .certificate("c1", THUMBPRINT).backend("unused", "https://unused.test");
        ConfigService service = start();

        for (String id : List.of("b1", "unused")) {
            java.nio.file.Files.delete(home.layout.backendInformation(id));
            java.nio.file.Files.delete(home.layout.backendDir(id));
        }
        service.loadIfChanged();

        assertThat(service.current().apis()).containsOnlyKeys("a");
        assertThat(service.current().backends()).as("only what an API still uses stays").containsOnlyKeys("b1");
        assertThat(service.current().backends().get("b1").url()).isEqualTo("https://b1.test");
        assertThat(service.status().apis()).singleElement().satisfies(api -> {
            assertThat(api.state()).isEqualTo(ApiStatus.State.LAST_GOOD);
            assertThat(api.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("backend-id \"b1\" does not exist"));
        });

        // Once the API no longer names it, the deletion takes effect.
        home.backend("b2", "https://b2.test").apiPolicy("a", TestHome.policyUsing("c1", "b2"));
        service.loadIfChanged();
        assertThat(service.current().backends()).containsOnlyKeys("b2");
        assertThat(service.status().apis()).singleElement()
                .satisfies(api -> assertThat(api.state()).isEqualTo(ApiStatus.State.SERVED));
    }

    @Test
    void aCertificateFolderRemovedByHandWhileItsKeyStoreStaysKeepsItsUsersOnTheCertificateTheyHad() throws Exception {
        home.backend("b1", "https://b1.test").api("a", "a").apiPolicy("a", TestHome.policyUsing("c1", "b1"))
                .certificate("c1", THUMBPRINT).api("bystander", "bystander");
        ConfigService service = start();

        java.nio.file.Files.move(home.layout.certificateDir("c1"), dir.resolve("c1-moved-away"));
        service.loadIfChanged();

        assertThat(service.current().apis()).containsOnlyKeys("a", "bystander");
        assertThat(service.current().certificates()).containsOnlyKeys("c1");
        assertThat(service.status().errors()).anySatisfy(e -> {
            assertThat(e.file()).isEqualTo("config/certificates/c1/certificateInformation.json");
            assertThat(e.message()).contains("is missing while the certificate's key store"
                    + " secrets/certificates/c1.p12 is still there");
        });
        assertThat(service.status().apis()).filteredOn(api -> api.id().equals("a")).singleElement()
                .satisfies(api -> assertThat(api.state()).isEqualTo(ApiStatus.State.LAST_GOOD));

        // With the key store gone too, nothing can present it: the API is unavailable and says why.
        java.nio.file.Files.delete(home.layout.certificateKeyStore("c1"));
        service.loadIfChanged();
        assertThat(service.current().apis()).containsOnlyKeys("bystander");
        assertThat(service.current().unavailableApis()).containsOnlyKeys("a");
    }

    @Test
    void aBrokenGlobalPolicyKeepsEveryApiOnItsLastGoodConfiguration() {
        home.globalPolicy(policyWithHeader("global")).api("a", "a").api("b", "b");
        ConfigService service = start();
        GatewaySnapshot good = service.current();

        home.globalPolicy(UNKNOWN_POLICY);
        service.loadIfChanged();

        assertThat(service.current()).isSameAs(good);
        assertThat(service.status().apis()).extracting(ApiStatus::state).containsOnly(ApiStatus.State.LAST_GOOD);
        assertThat(service.status().apis()).allSatisfy(api -> assertThat(api.errors()).extracting(ConfigError::file)
                .containsExactly("config/policy.xml"));
    }

    @Test
    void anApiIncludingABrokenFragmentIsUnavailableWithTheFragmentsErrorsWhileTheOthersServe() {
        home.file(BAD_FRAGMENT, BROKEN_FRAGMENT).api("a", "a").apiPolicy("a", INCLUDES_BAD)
                .api("b", "b").apiPolicy("b", INCLUDES_BAD).api("bystander", "bystander");

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).containsOnlyKeys("bystander");
        assertThat(result.snapshot().unavailableApis()).containsOnlyKeys("a", "b");
        assertThat(result.apiErrors()).containsOnlyKeys("a", "b");
        assertThat(result.apiErrors().values()).as("each API that includes it, not only the first")
                .allSatisfy(errors -> assertThat(errors).extracting(ConfigError::file, ConfigError::line,
                        ConfigError::column).containsExactly(FRAGMENT_ERRORS));
        assertThat(result.errors()).as("the fragment's errors are listed once")
                .extracting(ConfigError::file, ConfigError::line, ConfigError::column).containsExactly(FRAGMENT_ERRORS);
    }

    @Test
    void aBrokenFragmentNothingIncludesIsAWarningAndEveryApiServes() {
        home.file(BAD_FRAGMENT, BROKEN_FRAGMENT).api("a", "a").api("b", "b");

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).containsOnlyKeys("a", "b");
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).filteredOn(w -> w.code().equals(ConfigWarning.FRAGMENT_NOT_INCLUDABLE))
                .extracting(ConfigWarning::file, ConfigWarning::line, ConfigWarning::column)
                .containsExactly(FRAGMENT_ERRORS);
        assertThat(result.warnings()).filteredOn(w -> w.line() == 5).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("unknown policy <set-variable>")
                        .contains("included nowhere yet"));
    }

    @Test
    void aBrokenFragmentThatIsIncludedIsNotAlsoAWarning() {
        home.file(BAD_FRAGMENT, BROKEN_FRAGMENT).api("a", "a").apiPolicy("a", INCLUDES_BAD);

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(ConfigError::file, ConfigError::line, ConfigError::column)
                .containsExactly(FRAGMENT_ERRORS);
        assertThat(result.warnings()).extracting(ConfigWarning::code)
                .doesNotContain(ConfigWarning.FRAGMENT_NOT_INCLUDABLE);
    }

    @Test
    void anOperationIncludingABrokenFragmentMakesItsApiUnavailable() {
        home.file(BAD_FRAGMENT, BROKEN_FRAGMENT).api("a", "a").operation("a", "get", "GET", "/x")
                .operationPolicy("a", "get", INCLUDES_BAD).api("bystander", "bystander");

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).containsOnlyKeys("bystander");
        assertThat(result.snapshot().unavailableApis()).containsOnlyKeys("a");
        assertThat(result.apiErrors().get("a")).extracting(ConfigError::file, ConfigError::line, ConfigError::column)
                .containsExactly(FRAGMENT_ERRORS);
    }

    @Test
    void aGlobalPolicyIncludingABrokenFragmentMakesEveryApiUnavailableAndTheFolderStillLoads() {
        home.file(BAD_FRAGMENT, BROKEN_FRAGMENT).globalPolicy(INCLUDES_BAD)
                .api("a", "a").api("b", "b").backend("b1", "https://b1.test");

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).isEmpty();
        assertThat(result.snapshot().unavailableApis()).containsOnlyKeys("a", "b");
        assertThat(result.snapshot().backends()).containsOnlyKeys("b1");
        assertThat(result.apiErrors().values()).hasSize(2).allSatisfy(errors -> assertThat(errors)
                .extracting(ConfigError::file, ConfigError::line, ConfigError::column).containsExactly(FRAGMENT_ERRORS));
        assertThat(result.broken().globalPolicy()).as("the last good global policy stands in").isTrue();
    }

    @Test
    void aRevisionIncludingABrokenFragmentIsListedWithItsErrors() {
        home.file(BAD_FRAGMENT, BROKEN_FRAGMENT)
                .file("config/apis/a/apiInformation.json", TestHome.envelope(Map.of("path", "a",
                        "serviceUrl", "https://one.test", "isCurrent", true)))
                .file("config/apis/a;rev=2/apiInformation.json", TestHome.envelope(Map.of("path", "a",
                        "serviceUrl", "https://two.test")))
                .file("config/apis/a;rev=2/policy.xml", INCLUDES_BAD);

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).containsOnlyKeys("a");
        assertThat(result.revisions()).singleElement().satisfies(revision -> assertThat(revision.errors())
                .extracting(ConfigError::file, ConfigError::line, ConfigError::column).containsExactly(FRAGMENT_ERRORS));
    }

    @Test
    void aFragmentNamingAMissingBackendMakesTheApisIncludingItUnavailable() {
        home.file(BAD_FRAGMENT, "<fragment>\n  <set-backend-service backend-id=\"missing\" />\n</fragment>\n")
                .api("a", "a").apiPolicy("a", INCLUDES_BAD).api("b", "b").apiPolicy("b", INCLUDES_BAD)
                .api("bystander", "bystander");

        LoadResult result = loader.load();

        assertThat(result.snapshot().apis()).containsOnlyKeys("bystander");
        assertThat(result.apiErrors()).containsOnlyKeys("a", "b");
        assertThat(result.apiErrors().values()).allSatisfy(errors -> assertThat(errors).singleElement().satisfies(e -> {
            assertThat(List.of(e.file(), e.line(), e.column())).containsExactly(BAD_FRAGMENT, 2, 3);
            assertThat(e.message()).contains("backend-id \"missing\" does not exist");
        }));
        assertThat(result.errors()).extracting(ConfigError::file).containsOnly(BAD_FRAGMENT);
    }

    @Test
    void aGatewayStartsAndReloadsWithABrokenFragmentKeepingWhatIncludedItOnItsLastGoodConfiguration() {
        home.file(BAD_FRAGMENT, "<fragment>\n  <set-header name=\"X-Test\" exists-action=\"override\">"
                        + "<value>one</value></set-header>\n</fragment>\n")
                .file("config/policy fragments/worse/policy.xml", BROKEN_FRAGMENT)
                .api("a", "a").apiPolicy("a", INCLUDES_BAD)
                .api("new", "new").apiPolicy("new", INCLUDES_BAD.replace("\"bad\"", "\"worse\""))
                .api("b", "b");
        ConfigService service = start();
        GatewaySnapshot good = service.current();
        assertThat(good.apis()).containsOnlyKeys("a", "b");

        home.file(BAD_FRAGMENT, BROKEN_FRAGMENT);
        service.loadIfChanged();

        assertThat(service.current()).isSameAs(good);
        assertThat(service.status().apis()).extracting(ApiStatus::id, ApiStatus::state).containsExactly(
                tuple("a", ApiStatus.State.LAST_GOOD), tuple("b", ApiStatus.State.SERVED),
                tuple("new", ApiStatus.State.UNAVAILABLE));
        assertThat(service.status().apis().get(0).errors()).extracting(ConfigError::file, ConfigError::line)
                .containsExactly(tuple(BAD_FRAGMENT, 3), tuple(BAD_FRAGMENT, 5));
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
