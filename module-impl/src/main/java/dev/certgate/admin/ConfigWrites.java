package dev.certgate.admin;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.api.model.Entity;
import dev.certgate.config.ConfigChange;
import dev.certgate.config.ConfigError;
import dev.certgate.config.ConfigService;
import dev.certgate.config.GatewaySnapshot;
import dev.certgate.config.HomeLayout;
import dev.certgate.config.JsonEnvelope;
import dev.certgate.config.Preconditions;
import dev.certgate.config.Revisions;
import dev.certgate.config.UnusedProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the JSON-file entities (APIs, operations, backends) share: the {@code {"properties": …}} file
 * shape, the write through {@link ConfigService#apply}, and the 400/404 refusals.
 */
final class ConfigWrites {
    private ConfigWrites() {
    }

    /** The body's {@code properties}, or a 400 that shows the expected shape. */
    static <P> P requireProperties(Entity<P> body) {
        if (body == null || body.properties() == null) {
            throw new CertgateException(ErrorCode.VALIDATION_ERROR,
                    "The request body must be a JSON object {\"properties\": {...}}",
                    List.of(new ErrorDetail("MissingField", "properties", "properties is required")));
        }
        return body.properties();
    }

    /** A guard that refuses with 404 unless {@code file} exists when the write lock is held. */
    static Consumer<GatewaySnapshot> exists(Path file, String kind, String id) {
        return snapshot -> {
            if (!Files.exists(file)) {
                throw CertgateException.notFound(kind, id);
            }
        };
    }

    /**
     * Refuses (409) a write to an API with revision folders: which revision a change is meant for (the current one,
     * or the one about to become current) is the person's call, and writing the plain folder would change nothing
     * that serves when a {@code ;rev=} folder is current.
     */
    static Consumer<GatewaySnapshot> withoutRevisions(HomeLayout layout, String apiId) {
        return snapshot -> {
            List<String> revisions = Revisions.foldersOf(layout, apiId);
            if (!revisions.isEmpty()) {
                throw new CertgateException(ErrorCode.CONFLICT, "API " + apiId + " has revisions ("
                        + String.join(", ", revisions) + "): the admin API changes APIs without revisions only;"
                        + " edit the files of the revision meant in config/apis/",
                        revisions.stream().map(folder -> new ErrorDetail("ApiHasRevisions", "config/apis/" + folder,
                                "a revision of API " + apiId)).toList());
            }
        };
    }

    /**
     * Refuses with 400 a body with properties neither Certgate nor APIM defines, naming each and what it may have
     * meant: the rule the loader applies to files, applied before anything is written.
     */
    static void refuseUnknownProperties(String entity, Object properties) {
        refuseUnknownProperties(entity, UnusedProperties.of(properties));
    }

    /**
     * As {@link #refuseUnknownProperties(String, Object)} for the findings about a body with no file of its own (a
     * certificate, an authority, a policy). Names only, never values: a misspelt password's value is a password.
     */
    static void refuseUnknownProperties(String entity, List<UnusedProperties.Finding> findings) {
        List<UnusedProperties.Finding> unknown = findings.stream()
                .filter(f -> f.verdict() == UnusedProperties.Verdict.UNKNOWN)
                .toList();
        if (unknown.isEmpty()) {
            return;
        }
        UnusedProperties.Finding first = unknown.get(0);
        String more = unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : "";
        throw new CertgateException(ErrorCode.VALIDATION_ERROR, "Unknown property '" + first.name() + "' in "
                + entity + ": " + first.reason() + more,
                unknown.stream().map(f -> new ErrorDetail("UnknownProperty", "properties." + f.name(), f.message()))
                        .toList());
    }

    /**
     * Reads an entity kept in one of API {@code apiId}'s files: what serves ({@code served}, null when missing), or,
     * when errors keep the API from serving its files, what the file says, with the warning. The body is then the one
     * the ETag names: answering the older version served would let a read-modify-write with If-Match put it back and
     * lose the newer file's change. A file that does not read at all cannot be answered: what serves is, with the
     * warning naming the file's errors, so that a read agrees with the list and the proxy, and without an ETag, for
     * the same reason (a PUT with If-Match must not replace a hand edit its author never saw); with nothing served, a
     * 409 names them. 404 naming {@code kind} when there is nothing.
     */
    static <P> Versioned<Entity<P>> readApiFile(ConfigService config, String collection, String id, String kind,
                                                Path file, Class<P> type, String apiId, Supplier<P> served) {
        String etag = config.etagForRead(file);
        String notServed = FilesNotServed.warning(config, apiId);
        P written = notServed != null ? config.written(file, type) : null;
        if (notServed == null || written != null) {
            P properties = written != null ? written : served.get();
            if (properties == null) {
                throw CertgateException.notFound(kind, id);
            }
            return Versioned.read(Entity.of(collection, id, properties), etag).withWarning(notServed);
        }
        P lastGood = served.get();
        if (lastGood == null) {
            throw etag == null ? CertgateException.notFound(kind, id) : unreadable(config, kind, id, file);
        }
        return Versioned.read(Entity.of(collection, id, lastGood), null).withWarning(notServed);
    }

    /** 409 for an entity whose file is there but does not read, with nothing served to answer: naming its errors. */
    private static CertgateException unreadable(ConfigService config, String kind, String id, Path file) {
        String relative = config.layout().relative(file);
        List<ConfigError> errors = config.status().errors().stream()
                .filter(error -> error.file().equals(relative))
                .toList();
        String why = errors.isEmpty() ? relative + " does not read" : errors.get(0).describe();
        return new CertgateException(ErrorCode.CONFLICT, kind + " '" + id + "' has a file that does not read and"
                + " nothing of it serves: " + why + ". Fix the file, replace it with PUT, or DELETE it",
                errors.stream().map(e -> new ErrorDetail("InvalidConfiguration", e.file(), e.positionedMessage()))
                        .toList());
    }

    /**
     * Writes {@code {"properties": properties}} to {@code file} (after {@link #refuseUnknownProperties}) and
     * answers the entity as the new snapshot loaded it ({@code reread} may answer null, then the written
     * properties are shown). For a file of API {@code apiId} (null for none) that does not serve, because errors keep
     * the API on its last good configuration or unavailable, the answer shows what was written, with a warning.
     */
    static <P> Versioned<Entity<P>> putProperties(ConfigService config, String collection, String id, Path file,
                                                  P properties, Preconditions conditions, String apiId,
                                                  Function<GatewaySnapshot, P> reread,
                                                  List<Consumer<GatewaySnapshot>> guards) {
        refuseUnknownProperties(collection + "/" + id, properties);
        ConfigChange change = ConfigChange.create().put(file, JsonEnvelope.write(properties)).primary(file)
                .preconditions(file, conditions);
        guards.forEach(change::guard);
        ConfigService.Applied applied = config.apply(change);
        String notServed = apiId == null ? null : FilesNotServed.warning(config, apiId);
        P loaded = notServed == null ? reread.apply(applied.snapshot()) : null;
        return new Versioned<>(Entity.of(collection, id, loaded == null ? properties : loaded),
                config.etagOf(file), applied.created(), notServed);
    }

    /**
     * Deletes {@code folder} with everything in it; 404 unless {@code primary} exists, 412 when the preconditions fail.
     * Answers the warning that API {@code apiId} (null for none) does not serve its files, or null.
     */
    static String deleteTree(ConfigService config, Path folder, Path primary, Preconditions conditions, String kind,
                             String id, String apiId, List<Consumer<GatewaySnapshot>> guards) {
        ConfigChange change = ConfigChange.create().deleteTree(folder).preconditions(primary, conditions)
                .guard(exists(primary, kind, id));
        guards.forEach(change::guard);
        config.apply(change);
        return apiId == null ? null : FilesNotServed.warning(config, apiId);
    }
}
