package dev.certgate.config;

import dev.certgate.testsupport.RealWorld;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Named values and policy fragments as the APIOps extractor writes them, with the global policy that uses them. */
class PolicyInputsTest {
    @TempDir
    Path dir;
    private TestHome home;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() {
        home = new TestHome(dir);
        loader = new ConfigLoader(home.layout);
    }

    @Test
    void theApiopsSamplesGlobalPolicyFragmentsAndNamedValuesLoadWithEveryReasonListedOnce() {
        for (String part : new String[] {"policy.xml", "named values", "policy fragments"}) {
            copy(RealWorld.sample().resolve(part), home.path("config/" + part));
        }

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(ConfigError::describe).containsExactly(
                "config/policy.xml:3:3: <set-variable>: unknown policy <set-variable>; supported: base,"
                        + " authentication-certificate, set-backend-service, set-header, rewrite-uri, forward-request, cors, include-fragment",
                "config/policy.xml:4:3: <ip-filter>: unknown policy <ip-filter>; supported: base,"
                        + " authentication-certificate, set-backend-service, set-header, rewrite-uri, forward-request, cors, include-fragment",
                "config/policy fragments/policyFragment1/policy.xml:2:2: <set-variable>: unknown policy <set-variable>;"
                        + " supported: base, authentication-certificate, set-backend-service, set-header, rewrite-uri,"
                        + " forward-request, cors, include-fragment",
                "config/policy fragments/policyFragment1/policy.xml:4:10: <value>: policy expression (line 4, column"
                        + " 10): not supported");
        // policyFragment2 is included nowhere in the sample: its problems wait as warnings.
        assertThat(result.warnings()).extracting(ConfigWarning::code, ConfigWarning::file, ConfigWarning::line)
                .containsExactly(
                        tuple(ConfigWarning.FRAGMENT_NOT_INCLUDABLE, "config/policy fragments/policyFragment2/policy.xml", 2),
                        tuple(ConfigWarning.FRAGMENT_NOT_INCLUDABLE, "config/policy fragments/policyFragment2/policy.xml", 3));
        assertThat(result.warnings()).extracting(ConfigWarning::message).allSatisfy(message ->
                assertThat(message).contains("unknown policy").contains("included nowhere yet"));
    }

    @Test
    void aFragmentThatCannotBeReadIsAnErrorInItsFileAndWhereItIsIncluded() {
        home.file("config/policy fragments/broken/policy.xml", "<fragment>\n  <set-header name=\"X\">\n</fragment>")
                .file("config/policy fragments/broken/policyFragmentInformation.json",
                        "{\"properties\": {\"description\": \"d\", \"format\": \"rawxml\", \"colour\": \"red\"}}")
                .globalPolicy("<policies>\n  <inbound>\n    <include-fragment fragment-id=\"broken\" />\n  </inbound>\n"
                        + "</policies>");

        assertThat(loader.load().errors()).extracting(ConfigError::describe).containsExactly(
                "config/policy fragments/broken/policyFragmentInformation.json:1:57: unknown property 'colour':"
                        + " neither Certgate nor APIM defines it for a policy fragment; Certgate reads description",
                "config/policy fragments/broken/policy.xml:3:3: not well-formed XML: The element type \"set-header\""
                        + " must be terminated by the matching end-tag \"</set-header>\".",
                "config/policy.xml:3:36: <include-fragment>: policy fragment 'broken' cannot be read: see the errors"
                        + " of config/policy fragments/broken/policy.xml");
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
