package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.Ids;
import dev.certgate.api.model.Entity;
import dev.certgate.api.model.EntityList;
import dev.certgate.api.model.NamedValueProperties;
import dev.certgate.config.ConfigChange;
import dev.certgate.config.ConfigService;
import dev.certgate.config.HomeLayout;
import dev.certgate.config.JsonEnvelope;
import dev.certgate.config.NamedValueSecrets;
import dev.certgate.config.Preconditions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Named values ({@code config/named values/<id>/namedValueInformation.json}), in APIM's shape. The value of a secret
 * one (or a Key Vault one, whose value Certgate cannot fetch) is sealed under {@code secrets/namedValues/} and never
 * written to {@code config/}; no answer shows it but {@link #listValue}, as in APIM.
 */
public final class NamedValueLogic {
    static final String COLLECTION = "namedValues";
    private static final Logger LOG = LoggerFactory.getLogger(NamedValueLogic.class);
    /** What policies can refer to as {@code {{displayName}}}. */
    private static final Pattern DISPLAY_NAME = Pattern.compile("[A-Za-z0-9._-]{1,256}");

    private final ConfigService config;
    private final HomeLayout layout;
    private final NamedValueSecrets secrets;

    public NamedValueLogic(CertgateRuntime runtime) {
        this.config = runtime.config();
        this.layout = config.layout();
        this.secrets = runtime.sealedValues();
    }

    public EntityList<Entity<NamedValueProperties>> list() {
        return EntityList.of(ids().stream()
                .map(id -> {
                    NamedValueProperties properties = written(id);
                    return properties == null ? null : Entity.of(COLLECTION, id, shown(properties));
                })
                .filter(Objects::nonNull)
                .toList());
    }

    public Versioned<Entity<NamedValueProperties>> get(String id) {
        String etag = config.etagForRead(layout.namedValueInformation(id));
        NamedValueProperties properties = require(id);
        return Versioned.read(Entity.of(COLLECTION, id, shown(properties)), etag);
    }

    public Versioned<Entity<NamedValueProperties>> put(String id, Entity<NamedValueProperties> body,
                                                       Preconditions conditions) {
        Ids.require("named value", id);
        NamedValueProperties properties = ConfigWrites.requireProperties(body);
        ConfigWrites.refuseUnknownProperties(COLLECTION + "/" + id, properties);
        check(properties);
        Path file = layout.namedValueInformation(id);
        Path sealed = layout.namedValueSecret(id);
        ConfigChange change = ConfigChange.create().preconditions(file, conditions);
        if (properties.secretValue()) {
            // The sealed value first: once the file says "secret", its value is already in place.
            if (properties.value() != null) {
                change.put(sealed, secrets.seal(id, properties.value()));
            }
            change.put(file, JsonEnvelope.write(properties.withValue(null)));
        } else {
            change.put(file, JsonEnvelope.write(properties)).delete(sealed);
        }
        ConfigService.Applied applied = config.apply(change.primary(file));
        LOG.info("Named value {} {}{}", id, applied.created() ? "created" : "replaced",
                properties.secretValue() ? (properties.value() != null ? " (secret value stored encrypted)"
                        : " (secret value kept as it was)") : "");
        return new Versioned<>(Entity.of(COLLECTION, id, shown(properties)), config.etagOf(file), applied.created());
    }

    /** The value, secret or not: APIM's {@code listValue}. 409 while it has none. */
    public NamedValueSecret listValue(String id) {
        NamedValueProperties properties = require(id);
        String value = properties.value();
        if (properties.secretValue()) {
            value = sealedValue(id, properties.value());
        }
        if (value == null) {
            throw new CertgateException(ErrorCode.CONFLICT, "Named value '" + id + "' has no value yet: set one with"
                    + " PUT /admin/namedValues/" + id,
                    List.of(new ErrorDetail("NeedsValue", id, "the named value needs a value")));
        }
        return new NamedValueSecret(value);
    }

    /** 409 naming each use while policies or backends refer to it; 404 when it does not exist. */
    public void delete(String id, Preconditions conditions) {
        Ids.require("named value", id);
        Path file = layout.namedValueInformation(id);
        ConfigChange change = ConfigChange.create().deleteTree(layout.namedValueDir(id))
                .delete(layout.namedValueSecret(id)).preconditions(file, conditions)
                .guard(ConfigWrites.exists(file, "Named value", id));
        try {
            config.apply(change);
        } catch (CertgateException refused) {
            if (refused.errorCode() != ErrorCode.VALIDATION_ERROR) {
                throw refused;
            }
            // Without it the configuration would not load: what still refers to it is in the details.
            throw new CertgateException(ErrorCode.CONFLICT, "Named value '" + id + "' is still used: "
                    + refused.getMessage(), refused.details());
        }
        LOG.info("Named value {} deleted", id);
    }

    private static void check(NamedValueProperties properties) {
        if (properties.displayName() == null || !DISPLAY_NAME.matcher(properties.displayName()).matches()) {
            throw new CertgateException(ErrorCode.VALIDATION_ERROR, "properties.displayName is required: the name"
                    + " policies use as {{displayName}} (letters, digits, '.', '-' and '_')",
                    List.of(new ErrorDetail("InvalidField", "properties.displayName", "letters, digits, '.', '-', '_'")));
        }
        if (properties.value() == null && !properties.secretValue()) {
            throw new CertgateException(ErrorCode.VALIDATION_ERROR, "properties.value is required (a secret one, or"
                    + " one kept in Key Vault, may have its value set later)",
                    List.of(new ErrorDetail("MissingField", "properties.value", "value is required")));
        }
        if (properties.value() != null && properties.value().contains("{{")) {
            throw new CertgateException(ErrorCode.VALIDATION_ERROR, "properties.value cannot contain {{...}}: a named"
                    + " value cannot refer to another",
                    List.of(new ErrorDetail("InvalidField", "properties.value", "contains {{")));
        }
    }

    private NamedValueProperties require(String id) {
        Ids.require("named value", id);
        NamedValueProperties properties = written(id);
        if (properties == null) {
            throw CertgateException.notFound("Named value", id);
        }
        return properties;
    }

    /** What answers show: a secret's value never. */
    private static NamedValueProperties shown(NamedValueProperties properties) {
        return properties.secretValue() ? properties.withValue(null) : properties;
    }

    private String sealedValue(String id, String writtenValue) {
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(layout.namedValueSecret(id));
        } catch (NoSuchFileException missing) {
            return writtenValue;
        } catch (IOException e) {
            throw new CertgateException(ErrorCode.INTERNAL_ERROR, "The value of named value '" + id
                    + "' cannot be read", List.of(), e);
        }
        try {
            return secrets.open(id, sealed);
        } catch (GeneralSecurityException e) {
            throw new CertgateException(ErrorCode.CONFLICT, "The stored value of named value '" + id + "' cannot be"
                    + " decrypted with this master key: set it again with PUT /admin/namedValues/" + id);
        }
    }

    private NamedValueProperties written(String id) {
        return config.written(layout.namedValueInformation(id), NamedValueProperties.class);
    }

    private List<String> ids() {
        try (Stream<Path> folders = Files.list(layout.namedValuesDir())) {
            return folders.map(folder -> folder.getFileName().toString()).filter(Ids::isValid).sorted().toList();
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new CertgateException(ErrorCode.INTERNAL_ERROR, "The named values cannot be listed", List.of(), e);
        }
    }
}
