package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.Ids;
import dev.certgate.api.model.Entity;
import dev.certgate.config.ConfigChange;
import dev.certgate.config.ConfigService;
import dev.certgate.config.HomeLayout;
import dev.certgate.config.Preconditions;
import dev.certgate.config.UnusedProperties;
import dev.certgate.policy.PolicyParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The policy documents of the three scopes, kept as the text the user wrote (comments and layout
 * included, as APIOps expects). A document is parsed before the write so a refusal names line and column
 * of the request body; {@link ConfigService#apply} then validates the whole configuration with it.
 */
public final class PolicyLogic {
    private static final Set<String> ACCEPTED_FORMATS = Set.of(PolicyContent.RAW_XML, "xml");
    private static final String REQUEST_BODY = "request body";

    /** Global ({@code apiId} null), API ({@code operationId} null) or operation scope; ids checked on creation. */
    public record Scope(String apiId, String operationId) {
        public Scope {
            if (apiId != null) {
                Ids.require("api", apiId);
            }
            if (operationId != null) {
                Ids.require("operation", operationId);
            }
        }

        public static Scope global() {
            return new Scope(null, null);
        }

        public static Scope api(String apiId) {
            return new Scope(Ids.require("api", apiId), null);
        }

        public static Scope operation(String apiId, String operationId) {
            return new Scope(Ids.require("api", apiId), Ids.require("operation", operationId));
        }

        /** The collection part of the entity id: {@code policies}, {@code apis/a/policies}, … */
        public String collection() {
            if (apiId == null) {
                return "policies";
            }
            return operationId == null ? ApiLogic.COLLECTION + "/" + apiId + "/policies"
                    : OperationLogic.collection(apiId) + "/" + operationId + "/policies";
        }

        public String entityId() {
            return "/" + collection() + "/policy";
        }

        Path file(HomeLayout layout) {
            if (apiId == null) {
                return layout.globalPolicy();
            }
            return operationId == null ? layout.apiPolicy(apiId) : layout.operationPolicy(apiId, operationId);
        }
    }

    private final ConfigService config;
    private final HomeLayout layout;

    public PolicyLogic(CertgateRuntime runtime) {
        this.config = runtime.config();
        this.layout = config.layout();
    }

    /** The stored text and its ETag; 404 when the scope has no policy file (it inherits everything). */
    public Versioned<String> get(Scope scope) {
        Path file = scope.file(layout);
        try {
            return Versioned.read(Files.readString(file, StandardCharsets.UTF_8), config.etagOf(file))
                    .withWarning(notServed(scope));
        } catch (NoSuchFileException e) {
            throw CertgateException.notFound("Policy", scope.entityId());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the policy " + scope.entityId(), e);
        }
    }

    /** Accepts APIM's JSON form; {@code format} must be {@code rawxml} (or {@code xml}, the same text here). */
    public Versioned<String> put(Scope scope, Entity<PolicyContent> body, Preconditions conditions) {
        PolicyContent content = ConfigWrites.requireProperties(body);
        ConfigWrites.refuseUnknownProperties(scope.collection() + "/policy", UnusedProperties.ofPolicy(content.unused()));
        String format = content.format() == null ? PolicyContent.RAW_XML : content.format();
        if (!ACCEPTED_FORMATS.contains(format)) {
            throw new CertgateException(ErrorCode.VALIDATION_ERROR,
                    "Unsupported policy format '" + format + "': use rawxml",
                    List.of(new ErrorDetail("UnsupportedFormat", "properties.format", "must be rawxml")));
        }
        return put(scope, content.value(), conditions);
    }

    public Versioned<String> put(Scope scope, String xml, Preconditions conditions) {
        if (xml == null || xml.isBlank()) {
            throw new CertgateException(ErrorCode.VALIDATION_ERROR, "The policy document is empty",
                    List.of(new ErrorDetail("MissingField", "properties.value", "a <policies> document is required")));
        }
        PolicyParser.parseLocated(xml, REQUEST_BODY, config.policyContext());
        Path file = scope.file(layout);
        ConfigChange change = ConfigChange.create().put(file, xml.getBytes(StandardCharsets.UTF_8)).primary(file)
                .preconditions(file, conditions);
        owner(scope, change);
        ConfigService.Applied applied = config.apply(change);
        return new Versioned<>(xml, config.etagOf(file), applied.created(), notServed(scope));
    }

    /**
     * Removes the scope's file, which restores "inherit everything" there; answers the warning that the API does not
     * serve its files, or null.
     */
    public String delete(Scope scope, Preconditions conditions) {
        Path file = scope.file(layout);
        ConfigChange change = ConfigChange.create().delete(file).preconditions(file, conditions)
                .guard(ConfigWrites.exists(file, "Policy", scope.entityId()));
        if (scope.apiId() != null) {
            change.guard(ConfigWrites.withoutRevisions(layout, scope.apiId()));
        }
        config.apply(change);
        return notServed(scope);
    }

    /** For an API's or an operation's policy: the warning that the API does not serve its files, or null. */
    private String notServed(Scope scope) {
        return scope.apiId() == null ? null : FilesNotServed.warning(config, scope.apiId());
    }

    private void owner(Scope scope, ConfigChange change) {
        if (scope.apiId() != null) {
            change.guard(ConfigWrites.exists(layout.apiInformation(scope.apiId()), "API", scope.apiId()));
            change.guard(ConfigWrites.withoutRevisions(layout, scope.apiId()));
        }
        if (scope.operationId() != null) {
            change.guard(ConfigWrites.exists(layout.operationInformation(scope.apiId(), scope.operationId()),
                    "Operation", scope.operationId()));
        }
    }
}
