package dev.certgate.config;

import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.BackendCredentials;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.NamedValueProperties;
import dev.certgate.api.model.OperationProperties;
import dev.certgate.api.model.PolicyFragmentProperties;
import dev.certgate.api.model.TlsSettings;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/**
 * How the model records' {@code unused} maps look in JSON (module-api has no Jackson): not as a property of
 * their own but as the object's other properties, collected into the map when read (any-setter on the canonical
 * constructor) and written back beside the others (any-getter), so a file read and written again keeps them.
 * Each constructor here repeats its record's canonical constructor; ModelJsonTest fails if one stops matching.
 */
final class ModelMixIns {
    private ModelMixIns() {
    }

    static JsonMapper.Builder register(JsonMapper.Builder builder) {
        return builder.addMixIn(ApiProperties.class, Api.class)
                .addMixIn(OperationProperties.class, Operation.class)
                .addMixIn(BackendProperties.class, Backend.class)
                .addMixIn(BackendCredentials.class, Credentials.class)
                .addMixIn(TlsSettings.class, Tls.class)
                .addMixIn(NamedValueProperties.class, NamedValue.class)
                .addMixIn(PolicyFragmentProperties.class, PolicyFragment.class);
    }

    abstract static class Api {
        Api(String displayName, String path, String serviceUrl, List<String> protocols,
            @JsonAnySetter Map<String, Object> unused) {
        }

        @JsonAnyGetter
        @JsonInclude(content = JsonInclude.Include.ALWAYS)
        abstract Map<String, Object> unused();
    }

    abstract static class Operation {
        Operation(String displayName, String method, String urlTemplate, @JsonAnySetter Map<String, Object> unused) {
        }

        @JsonAnyGetter
        @JsonInclude(content = JsonInclude.Include.ALWAYS)
        abstract Map<String, Object> unused();
    }

    abstract static class Backend {
        Backend(String url, String protocol, BackendCredentials credentials, TlsSettings tls, String description,
                @JsonAnySetter Map<String, Object> unused) {
        }

        @JsonAnyGetter
        @JsonInclude(content = JsonInclude.Include.ALWAYS)
        abstract Map<String, Object> unused();
    }

    abstract static class Credentials {
        Credentials(List<String> certificateIds, List<String> certificate, Map<String, List<String>> header,
                    @JsonAnySetter Map<String, Object> unused) {
        }

        @JsonAnyGetter
        @JsonInclude(content = JsonInclude.Include.ALWAYS)
        abstract Map<String, Object> unused();
    }

    abstract static class Tls {
        Tls(Boolean validateCertificateChain, Boolean validateCertificateName,
            @JsonAnySetter Map<String, Object> unused) {
        }

        @JsonAnyGetter
        @JsonInclude(content = JsonInclude.Include.ALWAYS)
        abstract Map<String, Object> unused();
    }

    abstract static class NamedValue {
        NamedValue(String displayName, String value, Boolean secret, Map<String, Object> keyVault, List<String> tags,
                   @JsonAnySetter Map<String, Object> unused) {
        }

        @JsonInclude(content = JsonInclude.Include.ALWAYS)
        abstract Map<String, Object> keyVault();

        @JsonAnyGetter
        @JsonInclude(content = JsonInclude.Include.ALWAYS)
        abstract Map<String, Object> unused();
    }

    abstract static class PolicyFragment {
        PolicyFragment(String description, @JsonAnySetter Map<String, Object> unused) {
        }

        @JsonAnyGetter
        @JsonInclude(content = JsonInclude.Include.ALWAYS)
        abstract Map<String, Object> unused();
    }
}
