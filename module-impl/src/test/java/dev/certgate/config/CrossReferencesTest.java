package dev.certgate.config;

import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.policy.PolicyContext;
import dev.certgate.policy.PolicyParser;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A reference checked against the store after the parser let it through must not quote a secret put into it. */
class CrossReferencesTest {
    private static final String SECRET = "NamedSecretVal888";
    private static final String SECRET_THUMBPRINT = "deadbeefdeadbeefdeadbeefdeadbeef00112233";
    private static final PolicyContext CONTEXT = PolicyContext.builder()
            .value("nv1", SECRET, true)
            .value("hex", SECRET_THUMBPRINT, true)
            .value("plain", "visible-id", false)
            .build();

    @Test
    void aDanglingReferenceMadeOfASecretNamedValueNamesTheReferenceNotTheValue() {
        List<ConfigError> errors = new ArrayList<>();
        CrossReferences references = new CrossReferences(Map.of(), Set.of(), Set.of(), CONTEXT.secrets(), errors);

        references.checkPolicy("config/policy.xml", PolicyParser.parseLocated("<policies><inbound>"
                + "<authentication-certificate certificate-id=\"{{nv1}}\" />"
                + "<set-backend-service backend-id=\"{{NV1}}\" />"
                + "<authentication-certificate thumbprint=\"{{hex}}\" />"
                + "<authentication-certificate certificate-id=\"{{plain}}\" />"
                + "</inbound></policies>", "config/policy.xml", CONTEXT));

        assertThat(errors).extracting(ConfigError::message).containsExactly(
                "<authentication-certificate>: certificate-id \"{{nv1}}\" does not exist in config/certificates",
                "<set-backend-service>: backend-id \"{{nv1}}\" does not exist in config/backends",
                "<authentication-certificate>: thumbprint \"{{hex}}\" matches no certificate in config/certificates",
                "<authentication-certificate>: certificate-id \"visible-id\" does not exist in config/certificates");
    }

    @Test
    void aBackendsCertificateReferenceMadeOfASecretIsNotQuotedEither() {
        List<ConfigError> errors = new ArrayList<>();
        CrossReferences references = new CrossReferences(Map.<String, CertificateProperties>of(), Set.of(), Set.of(),
                CONTEXT.secrets(), errors);
        BackendProperties backend = new BackendProperties("https://b.test", "http",
                new BackendCredentials(List.of("/certificates/" + SECRET), List.of(), Map.of()), null, null);

        references.checkBackend("config/backends/b/backendInformation.json", backend, new JsonPositions(new byte[0]));

        assertThat(errors).extracting(ConfigError::message).singleElement().asString()
                .doesNotContain(SECRET).contains("{{nv1}}");
    }
}
