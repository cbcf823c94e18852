package dev.certgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON objects of the entity files and admin bodies (CONTRACT §2): for each, the properties Certgate reads,
 * and the ones APIM's management API defines (ApiContract, OperationContract, BackendContract, NamedValueContract,
 * PolicyFragmentContract, as the APIOps extractor writes them; CertificateContract and PolicyContract for the admin
 * bodies that carry no file of their own) that Certgate keeps as written without acting on
 * them. A property in neither list is a mistake, such as {@code serviceURL} for {@code serviceUrl}, that would
 * otherwise be dropped without a word.
 *
 * <p>Of APIM's properties, {@code descriptive} ones change nothing at run time and are kept quietly; the others are
 * settings APIM would act on, and are reported as not used unless their value asks for nothing Certgate does not
 * do anyway (null, false, empty, made of such values only, or the {@code neutral} value listed).
 */
enum ApimObject {
    API("an API", List.of("displayName", "path", "serviceUrl", "protocols", "type", "apiType", "isCurrent",
            "apiVersion", "apiVersionSetId", "translateRequiredQueryParameters"),
            Set.of("description", "apiRevision", "apiRevisionDescription", "apiVersionDescription", "contact",
                    "license", "termsOfServiceUrl", "isOnline", "provisioningState"),
            Set.of("apiVersionSet", "subscriptionRequired", "subscriptionKeyParameterNames", "authenticationSettings",
                    "sourceApiId",
                    "format", "value", "wsdlSelector", "contentFormat",
                    "contentValue"),
            Map.of()),
    OPERATION("an operation", List.of("displayName", "method", "urlTemplate"),
            Set.of("description", "templateParameters", "request", "responses"),
            Set.of("policies"),
            Map.of()),
    BACKEND("a backend", List.of("url", "protocol", "credentials", "tls", "description", "type"),
            Set.of("title", "resourceId", "azureRegion"),
            Set.of("circuitBreaker", "pool", "properties", "proxy"),
            Map.of()),
    BACKEND_CREDENTIALS("a backend's credentials", List.of("certificateIds", "certificate", "header"),
            Set.of(),
            Set.of("query", "authorization"),
            Map.of()),
    BACKEND_TLS("a backend's tls", List.of("validateCertificateChain", "validateCertificateName"),
            Set.of(),
            Set.of(),
            Map.of()),
    NAMED_VALUE("a named value", List.of("displayName", "value", "secret", "keyVault", "tags"),
            Set.of("provisioningState"),
            Set.of(),
            Map.of()),
    POLICY_FRAGMENT("a policy fragment", List.of("description"),
            Set.of("format", "provisioningState"),
            Set.of("value"),
            Map.of()),
    /** The top level of a configuration file, beside its properties: what ARM resources carry there. */
    FILE("a configuration file's top level", List.of("properties"),
            Set.of("id", "name", "type", "etag", "systemData"),
            Set.of(),
            Map.of()),
    /** An admin certificate upload: APIM's CertificateCreateOrUpdateProperties, and what its answers show. */
    CERTIFICATE("a certificate", List.of("data", "password"),
            Set.of("subject", "thumbprint", "expirationDate"),
            Set.of("keyVault"),
            Map.of()),
    /** An admin certificate upload as a multipart form: the file and its password. */
    CERTIFICATE_FORM("a certificate upload form", List.of("file", "password"),
            Set.of(),
            Set.of(),
            Map.of()),
    /** An admin authority upload: Certgate's own entity, which APIM has no contract for. */
    AUTHORITY("an authority", List.of("data"),
            Set.of(),
            Set.of(),
            Map.of()),
    /** An admin policy body: APIM's PolicyContractProperties. */
    POLICY("a policy", List.of("format", "value"),
            Set.of(),
            Set.of(),
            Map.of());

    private final String description;
    private final List<String> read;
    private final Set<String> descriptive;
    private final Set<String> settings;
    private final Map<String, Object> neutral;

    ApimObject(String description, List<String> read, Set<String> descriptive, Set<String> settings,
               Map<String, Object> neutral) {
        this.description = description;
        this.read = read;
        this.descriptive = descriptive;
        this.settings = settings;
        this.neutral = neutral;
    }

    /** "an API", "a backend's credentials": what the object is, for messages. */
    String description() {
        return description;
    }

    /** The properties Certgate reads, in the order people write them. */
    List<String> read() {
        return read;
    }

    /** Every name the object may have: Certgate's first, then APIM's. */
    List<String> known() {
        List<String> known = new ArrayList<>(read);
        descriptive.stream().sorted().forEach(known::add);
        settings.stream().sorted().forEach(known::add);
        return known;
    }

    /**
     * Whether APIM defines the property. Of the properties Certgate reads, most are fields of the model record, and
     * so never reach here; the others (an API's {@code type}, …) are read from the kept ones, and are APIM's too.
     */
    boolean definedByApim(String name) {
        return descriptive.contains(name) || settings.contains(name) || read.contains(name);
    }

    /** Whether {@code value} of APIM's property {@code name} asks for something Certgate does not do. */
    boolean asksForSomething(String name, Object value) {
        return !descriptive.contains(name) && !read.contains(name) && !nothing(value)
                && !value.equals(neutral.get(name));
    }

    /** Null, false, empty, or an object or array of nothing but such values ({@code {"rules": []}}). */
    private static boolean nothing(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().allMatch(ApimObject::nothing);
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(ApimObject::nothing);
        }
        return value == null || Boolean.FALSE.equals(value) || "".equals(value);
    }
}
