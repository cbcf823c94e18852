package dev.certgate.config;

import dev.certgate.x509.Thumbprints;

import dev.certgate.api.Ids;
import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.model.OperationProperties;
import dev.certgate.api.model.VersionSetProperties;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.http.HttpUrls;
import dev.certgate.policy.PolicyComposer;
import dev.certgate.policy.PolicyContext;
import dev.certgate.policy.PolicyException;
import dev.certgate.policy.PolicyParser;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import static dev.certgate.config.HomeLayout.API_INFORMATION;
import static dev.certgate.config.HomeLayout.AUTHORITY_PEM;
import static dev.certgate.config.HomeLayout.BACKEND_INFORMATION;
import static dev.certgate.config.HomeLayout.CERTIFICATE_INFORMATION;
import static dev.certgate.config.HomeLayout.KEY_STORE_SUFFIX;
import static dev.certgate.config.HomeLayout.OPERATION_INFORMATION;
import static dev.certgate.config.HomeLayout.POLICY;
import static dev.certgate.config.HomeLayout.PRODUCT_INFORMATION;
import static dev.certgate.config.HomeLayout.VERSION_SET_INFORMATION;

/**
 * Loads a home's {@code config/} folder (CONTRACT §2) into a {@link GatewaySnapshot}, or reports every
 * problem found (file relative to the home, line, column, reason), never just the first. Reads through
 * a {@link HomeView}, so a pending change can be validated as if it were applied.
 *
 * <p>Folder names are ids and are checked; files the loader does not know (editor backups, hidden
 * and temporary files of writers) are ignored; a folder holding nothing it reads is ignored too,
 * so a crash between "create folder" and "write file" does not break the configuration.
 */
public final class ConfigLoader {
    private static final String API = "api";

    /** An HTTP method is a token (RFC 9110 §9.1); APIM allows methods beyond the standard ones. */
    private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern SHA1_HEX = Pattern.compile("[0-9A-F]{40}");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{[^}]*}");

    private final HomeLayout layout;
    private final NamedValueSecrets secrets;

    public ConfigLoader(HomeLayout layout) {
        this(layout, NamedValueSecrets.NONE);
    }

    /** @param secrets opens the values of secret named values (a home without one cannot use them) */
    public ConfigLoader(HomeLayout layout, NamedValueSecrets secrets) {
        this.layout = layout;
        this.secrets = secrets;
    }

    /** Loads what is on disk now. */
    public LoadResult load() {
        return load(HomeView.disk());
    }

    LoadResult load(HomeView view) {
        return new Load(view).run();
    }

    /** The named values and fragments on disk now, for checking a policy before it is written. */
    public PolicyContext policyContext() {
        return PolicyInputs.load(layout, HomeView.disk(), secrets, new ArrayList<>(), new ArrayList<>());
    }

    /** An API read from disk, before composition. */
    private record ApiDraft(String id, ApiProperties properties, PolicyDocument policy, Path informationFile,
                            Map<String, OperationDraft> operations, ApiRoute route) {
        /** The same folder serving the API {@code apiId}: a current revision serves under the API's id. */
        ApiDraft withId(String apiId) {
            return new ApiDraft(apiId, properties, policy, informationFile, operations, route);
        }
    }

    private record OperationDraft(String id, OperationProperties properties, PolicyDocument policy,
                                  Path informationFile) {
    }

    /** An information file's properties, with where in the file each of them stands. */
    private record Information<P>(P properties, JsonPositions positions) {
    }

    /** The state of one load: what it reads through and the errors found so far. */
    private final class Load {
        private final HomeView view;
        private final List<ConfigError> errors = new ArrayList<>();
        private final List<ConfigWarning> warnings = new ArrayList<>();
        /** Every policy document read, by file, for the reference checks. */
        private final Map<String, PolicyParser.Located> policies = new LinkedHashMap<>();
        /**
         * The errors in the fragments each policy document includes, by the document's file: a fragment belongs to no
         * API, so without this an API whose policy is broken by a fragment would have no error of its own.
         */
        private final Map<String, List<ConfigError>> included = new HashMap<>();
        /** Where in its file each backend's properties stand, by id, for the reference checks. */
        private final Map<String, JsonPositions> backendPositions = new TreeMap<>();
        /** The ids of the certificates and backends that have an information file, whether it loaded or not. */
        private final Set<String> certificateIds = new HashSet<>();
        private final Set<String> backendIds = new HashSet<>();
        private final Set<String> versionSetIds = new HashSet<>();
        /** The named values and fragments that policies and backends may refer to. */
        private PolicyContext context = PolicyContext.EMPTY;

        Load(HomeView view) {
            this.view = view;
        }

        LoadResult run() {
            context = PolicyInputs.load(layout, view, secrets, errors, warnings);
            PolicyDocument global = policy(layout.globalPolicy());
            Map<String, CertificateProperties> certificates = certificates();
            Map<String, AuthorityConfig> authorities = authorities();
            Map<String, BackendProperties> backends = backends();
            Map<String, VersionSetProperties> versionSets = versionSets();
            Map<String, ApiDraft> apis = apis(versionSets);
            checkDuplicatePaths(apis);

            CrossReferences references = new CrossReferences(certificates, certificateIds, backendIds, context.secrets(),
                    errors);
            backends.forEach((id, backend) -> references.checkBackend(relative(layout.backendInformation(id)), backend,
                    backendPositions.get(id)));
            policies.forEach((file, located) -> {
                int before = errors.size();
                references.checkPolicy(file, located);
                List.copyOf(errors.subList(before, errors.size())).forEach(error -> fileUnder(file, error));
            });
            List<Product> products = products();
            fragmentsIncludedNowhere();
            return isolate(global, apis, backends, certificates, authorities, products);
        }

        /**
         * A fragment's problems that no inclusion reported, as every policy document has been read: those of a
         * fragment nothing includes yet. Warnings, since nothing serves it; the first document to include it is
         * refused with them.
         */
        private void fragmentsIncludedNowhere() {
            Set<ConfigError> reported = new HashSet<>(errors);
            for (PolicyException.Problem problem : PolicyParser.fragmentProblems(context)) {
                ConfigError error = PolicyErrors.of(problem);
                if (!reported.contains(error)) {
                    warnings.add(new ConfigWarning(ConfigWarning.FRAGMENT_NOT_INCLUDABLE, error.file(), error.line(),
                            error.column(), error.message() + " (the fragment is included nowhere yet; a policy that"
                            + " includes it is refused)"));
                }
            }
        }

        /**
         * Per-API isolation: an API is served only if its effective configuration (the global policy, its own files,
         * the backends and certificates it uses) has no error; the others are listed with those errors. Entities
         * whose own files have errors are left out of the snapshot, so their last good version can stand in.
         */
        private LoadResult isolate(PolicyDocument global, Map<String, ApiDraft> apis,
                                   Map<String, BackendProperties> backends,
                                   Map<String, CertificateProperties> certificates,
                                   Map<String, AuthorityConfig> authorities, List<Product> products) {
            ErrorIndex index = new ErrorIndex(errors, included);
            Map<String, ApiConfig> served = new TreeMap<>();
            Map<String, ApiRoute> unavailable = new TreeMap<>();
            Map<String, List<ConfigError>> apiErrors = new TreeMap<>();
            Set<String> folders = new TreeSet<>(apis.keySet());
            folders.addAll(index.names(FileOwner.Kind.API));
            List<ApiStatus> revisions = new ArrayList<>();
            for (Revisions.Choice choice : Revisions.choose(folders, folder -> properties(apis.get(folder))).values()) {
                String name = choice.apiId();
                ApiDraft current = choice.current() == null ? null : apis.get(choice.current());
                ApiDraft draft = current == null ? null : current.withId(name);
                List<ConfigError> found = new ArrayList<>(index.global());
                if (choice.current() == null) {
                    ConfigError problem = ConfigError.of(relative(apis.containsKey(choice.folders().get(0))
                            ? apis.get(choice.folders().get(0)).informationFile()
                            : layout.apisDir().resolve(choice.folders().get(0))), choice.problem());
                    errors.add(problem);
                    found.add(problem);
                } else {
                    found.addAll(index.of(FileOwner.Kind.API, choice.current()));
                    if (draft != null && draft.route().versionSetId() != null) {
                        found.addAll(index.of(FileOwner.Kind.VERSION_SET, draft.route().versionSetId()));
                    }
                }
                ApiConfig config = found.isEmpty() && draft != null ? compose(global, draft, found) : null;
                if (config != null) {
                    ApiUsage usage = ApiUsage.of(config, backends);
                    usage.backendIds().forEach(id -> found.addAll(index.of(FileOwner.Kind.BACKEND, id)));
                    usage.certificateIdsIn(certificates)
                            .forEach(id -> found.addAll(index.of(FileOwner.Kind.CERTIFICATE, id)));
                }
                if (config != null && found.isEmpty()) {
                    served.put(name, config);
                } else {
                    apiErrors.put(name, found);
                    ApiDraft known = draft != null ? draft : apis.get(choice.folders().get(0));
                    if (known != null) {
                        unavailable.put(name, known.route());
                    }
                }
                for (String folder : choice.folders()) {
                    if (!folder.equals(choice.current())) {
                        revisions.add(revision(folder, apis.get(folder), global, index));
                    }
                }
            }
            boolean globalBroken = !index.global().isEmpty();
            LoadResult.Broken broken = new LoadResult.Broken(globalBroken, index.names(FileOwner.Kind.BACKEND),
                    index.names(FileOwner.Kind.CERTIFICATE), index.names(FileOwner.Kind.AUTHORITY));
            GatewaySnapshot snapshot = new GatewaySnapshot(0, Instant.now(),
                    globalBroken ? PolicyDocument.INHERIT : global, GatewaySnapshot.sorted(served),
                    GatewaySnapshot.sorted(clean(backends, broken.backends())),
                    GatewaySnapshot.sorted(clean(certificates, broken.certificates())),
                    GatewaySnapshot.sorted(clean(authorities, broken.authorities())),
                    GatewaySnapshot.sorted(unavailable), context.secrets());
            return new LoadResult(snapshot, errors, warnings, apiErrors, broken, revisions, products);
        }

        /** A revision that is not current: validated (its errors listed), not served. */
        private ApiStatus revision(String folder, ApiDraft draft, PolicyDocument global, ErrorIndex index) {
            List<ConfigError> found = new ArrayList<>(index.of(FileOwner.Kind.API, folder));
            if (found.isEmpty() && draft != null && index.global().isEmpty()) {
                compose(global, draft, found);
            }
            return new ApiStatus(folder, draft == null ? null : draft.properties().path(),
                    ApiStatus.State.NOT_CURRENT, found);
        }

        private static ApiProperties properties(ApiDraft draft) {
            return draft == null ? null : draft.properties();
        }

        private static <V> Map<String, V> clean(Map<String, V> loaded, Set<String> broken) {
            Map<String, V> result = new TreeMap<>(loaded);
            result.keySet().removeAll(broken);
            return result;
        }

        private Map<String, CertificateProperties> certificates() {
            Map<String, CertificateProperties> result = new TreeMap<>();
            idFolders(layout.certificatesDir(), "certificate").forEach((id, folder) -> {
                Path file = folder.resolve(CERTIFICATE_INFORMATION);
                Information<CertificateProperties> information = information(folder, file, CertificateProperties.class);
                if (view.isFile(file)) {
                    certificateIds.add(id);
                }
                if (information == null) {
                    return;
                }
                CertificateProperties properties = information.properties();
                String thumbprint = properties.thumbprint() == null ? ""
                        : Thumbprints.normalize(properties.thumbprint());
                if (!SHA1_HEX.matcher(thumbprint).matches()) {
                    errors.add(information.positions().error(relative(file),
                            "properties.thumbprint is required: the SHA-1 thumbprint, 40 hex digits",
                            "properties", "thumbprint"));
                    return;
                }
                // Metadata without its key (config/ restored from Git without secrets/) is not a certificate in the
                // store: an error of the certificate, so the APIs presenting it are unavailable and say why.
                Path keyStore = layout.certificateKeyStore(id);
                if (!view.isFile(keyStore)) {
                    errors.add(ConfigError.of(relative(file), "its private key " + relative(keyStore)
                            + " is missing: upload the certificate again"));
                }
                result.put(id, new CertificateProperties(properties.subject(), properties.issuer(), thumbprint,
                        properties.thumbprintSha256(), properties.expirationDate(), properties.notBefore()));
            });
            orphanedKeyStores();
            return result;
        }

        /**
         * A key store whose certificate folder is gone (removed or moved by hand) is an error of that certificate, not
         * its deletion: the admin API refuses to delete a certificate in use, so a hand edit cannot either. What
         * presented it keeps the certificate it had (the key is still here) until its users change or it is deleted
         * through the admin API.
         */
        private void orphanedKeyStores() {
            for (String name : list(layout.secretCertificatesDir())) {
                String id = name.endsWith(KEY_STORE_SUFFIX)
                        ? name.substring(0, name.length() - KEY_STORE_SUFFIX.length()) : null;
                if (id != null && Ids.isValid(id) && !certificateIds.contains(id)
                        && view.isFile(layout.certificateKeyStore(id))) {
                    errors.add(ConfigError.of(relative(layout.certificateInformation(id)), "is missing while the"
                            + " certificate's key store " + relative(layout.certificateKeyStore(id)) + " is still"
                            + " there: restore the folder (what presents the certificate keeps it meanwhile), or"
                            + " delete the certificate with DELETE /admin/certificates/" + id));
                }
            }
        }

        private Map<String, AuthorityConfig> authorities() {
            Map<String, AuthorityConfig> result = new TreeMap<>();
            idFolders(layout.authoritiesDir(), "authority").forEach((id, folder) -> {
                Path file = folder.resolve(AUTHORITY_PEM);
                readRequired(folder, file).ifPresent(bytes -> {
                    AuthorityConfig authority = AuthorityPem.read(id, bytes, relative(file), errors);
                    if (authority != null) {
                        result.put(id, authority);
                    }
                });
            });
            return result;
        }

        private Map<String, BackendProperties> backends() {
            Map<String, BackendProperties> result = new TreeMap<>();
            idFolders(layout.backendsDir(), "backend").forEach((id, folder) -> {
                Path file = folder.resolve(BACKEND_INFORMATION);
                Information<BackendProperties> information = information(folder, file, BackendProperties.class);
                if (view.isFile(file)) {
                    backendIds.add(id);
                }
                BackendProperties backend = information == null || !supported(file, id, information) ? null
                        : BackendNamedValues.resolve(information.properties(), context, relative(file),
                                information.positions(), errors);
                if (backend != null && checkUrl(file, information.positions(), "url", backend.url(), true)) {
                    result.put(id, backend);
                    backendPositions.put(id, information.positions());
                }
            });
            return result;
        }

        /**
         * The products, listed only: their policies are not parsed, as they are never applied (a warning says so), so
         * what they hold neither blocks nor makes anything unavailable.
         */
        private List<Product> products() {
            List<Product> result = new ArrayList<>();
            idFolders(layout.productsDir(), "product").forEach((id, folder) -> {
                Information<Product.Properties> information = information(folder,
                        folder.resolve(PRODUCT_INFORMATION), Product.Properties.class);
                Path policy = folder.resolve(POLICY);
                boolean hasPolicy = view.isFile(policy);
                if (hasPolicy) {
                    warnings.add(new ConfigWarning(ConfigWarning.NOT_USED, relative(policy), null, null,
                            "product policy not applied: Certgate has no subscriptions, so it cannot tell which product"
                                    + " a call belongs to; put what the APIs need in their own or the global policy"));
                }
                if (information != null) {
                    result.add(new Product(id, information.properties().displayName(), hasPolicy));
                }
            });
            return result;
        }

        private Map<String, VersionSetProperties> versionSets() {
            Map<String, VersionSetProperties> result = new TreeMap<>();
            idFolders(layout.versionSetsDir(), "version set").forEach((id, folder) -> {
                Path file = folder.resolve(VERSION_SET_INFORMATION);
                Information<VersionSetProperties> information = information(folder, file, VersionSetProperties.class);
                if (view.isFile(file)) {
                    versionSetIds.add(id);
                }
                if (information == null) {
                    return;
                }
                String problem = VersionSets.problem(information.properties());
                if (problem != null) {
                    errors.add(ConfigError.of(relative(file), problem));
                    return;
                }
                result.put(id, information.properties());
            });
            return result;
        }

        /** The calls that reach an API: its path, and its version if it names a version set (errors added). */
        private ApiRoute route(Path file, Information<ApiProperties> information,
                               Map<String, VersionSetProperties> versionSets) {
            ApiProperties properties = information.properties();
            String reference = VersionSets.reference(properties);
            if (reference == null) {
                return ApiRoute.of(properties.path());
            }
            String setId = VersionSets.idOf(reference);
            if (setId == null) {
                errors.add(information.positions().error(relative(file), "apiVersionSetId \"" + reference
                        + "\" is not of the form \"/apiVersionSets/<id>\"", "properties", "apiVersionSetId"));
            } else if (!versionSetIds.contains(setId)) {
                errors.add(information.positions().error(relative(file), "apiVersionSetId names version set \""
                        + setId + "\", which does not exist in config/version sets", "properties", "apiVersionSetId"));
            } else if (versionSets.containsKey(setId)) {
                return VersionSets.route(properties, setId, versionSets.get(setId));
            } else {
                // The set's file has errors: the API depends on it, so it is unavailable with them.
                return new ApiRoute(properties.path(), ApiRoute.Scheme.NONE, setId, null, "");
            }
            return ApiRoute.of(properties.path());
        }

        /** A backend of a kind Certgate forwards to: one URL, not a pool of them (error added otherwise). */
        private boolean supported(Path file, String id, Information<BackendProperties> information) {
            Object type = information.properties().unused().get("type");
            if (type == null || "single".equalsIgnoreCase(String.valueOf(type).trim())) {
                return true;
            }
            errors.add(information.positions().error(relative(file), "backend \"" + id + "\" is "
                    + ("pool".equalsIgnoreCase(String.valueOf(type).trim()) ? "a load-balanced pool (type \"Pool\")"
                    : "of type \"" + type + "\"") + ": Certgate forwards to a single url only, so the APIs that use"
                    + " it are not served", "properties", "type"));
            return false;
        }

        private Map<String, ApiDraft> apis(Map<String, VersionSetProperties> versionSets) {
            Map<String, ApiDraft> result = new TreeMap<>();
            idFolders(layout.apisDir(), API).forEach((id, folder) -> {
                Path file = folder.resolve(API_INFORMATION);
                Information<ApiProperties> information = information(folder, file, ApiProperties.class);
                PolicyDocument policy = policy(folder.resolve(POLICY));
                Map<String, OperationDraft> operations = operations(folder,
                        information == null || Specifications.requiredQueryInTemplates(information.properties()));
                if (information == null) {
                    return;
                }
                ApiProperties properties = information.properties();
                if (properties.path() == null) {
                    errors.add(information.positions().error(relative(file),
                            "properties.path is required (the URL suffix; \"\" for the root API)",
                            "properties", "path"));
                    return;
                }
                String pathProblem = ApiRoute.pathProblem(properties.path());
                if (pathProblem != null) {
                    errors.add(information.positions().error(relative(file), "properties.path \"" + properties.path()
                            + "\" " + pathProblem, "properties", "path"));
                    return;
                }
                String type = ApiTypes.unsupportedProperty(properties);
                if (type != null) {
                    errors.add(information.positions().error(relative(file), "API \"" + id + "\" is "
                            + ApiTypes.describe(properties, type) + ": Certgate serves HTTP APIs only, so this API is"
                            + " not served", "properties", type));
                }
                // Kept with a bad URL too: the API is unavailable then, and its path still routes its calls to a 503.
                checkUrl(file, information.positions(), "serviceUrl", properties.serviceUrl(), false);
                result.put(id, new ApiDraft(id, properties, policy, file, operations,
                        route(file, information, versionSets)));
            });
            return result;
        }

        /**
         * The API's operations: each {@code operations/<id>/operationInformation.json}, and, where there is none, the
         * operations of the API's OpenAPI specification, each with the policy in {@code operations/<id>/} if any.
         *
         * @param requiredQueryInTemplates whether a specification's required query parameters join its operations'
         *                                 URL templates
         */
        private Map<String, OperationDraft> operations(Path apiFolder, boolean requiredQueryInTemplates) {
            Path operationsDir = apiFolder.resolve("operations");
            Map<String, OperationDraft> result = new TreeMap<>();
            Map<String, String> routes = new LinkedHashMap<>();
            Path specification = specification(apiFolder);
            List<Specifications.SpecOperation> specified = specification == null ? null
                    : specified(specification, requiredQueryInTemplates);
            Map<String, Path> folders = idFolders(operationsDir, "operation");
            folders.forEach((id, folder) -> {
                Path file = folder.resolve(OPERATION_INFORMATION);
                if (specification != null && !view.isFile(file)) {
                    return; // the specification's operation, or a folder it does not name (both below)
                }
                Information<OperationProperties> information = information(folder, file, OperationProperties.class);
                PolicyDocument policy = policy(folder.resolve(POLICY));
                if (information == null || !checkOperation(file, information.positions(), information.properties())) {
                    return;
                }
                addOperation(result, routes, new OperationDraft(id, information.properties(), policy, file), file);
            });
            if (specified == null) {
                return result;
            }
            for (Specifications.SpecOperation operation : specified) {
                Path folder = operationsDir.resolve(operation.id());
                if (view.isFile(folder.resolve(OPERATION_INFORMATION))) {
                    continue; // an information file says more than the specification
                }
                OperationProperties properties = new OperationProperties(operation.displayName(), operation.method(),
                        operation.urlTemplate());
                if (result.containsKey(operation.id())) {
                    errors.add(ConfigError.of(relative(specification), "operationId \"" + operation.id()
                            + "\" is used by two operations; each operation needs its own"));
                } else if (checkOperation(specification, null, properties)) {
                    addOperation(result, routes, new OperationDraft(operation.id(), properties,
                            policy(folder.resolve(POLICY)), folder.resolve(OPERATION_INFORMATION)), specification);
                }
            }
            folders.forEach((id, folder) -> {
                if (!result.containsKey(id) && !view.isFile(folder.resolve(OPERATION_INFORMATION))
                        && specified.stream().noneMatch(operation -> operation.id().equals(id))
                        && !list(folder).isEmpty()) {
                    errors.add(ConfigError.of(relative(folder), "missing " + OPERATION_INFORMATION + ", and "
                            + specification.getFileName() + " has no operation with operationId \"" + id + "\""));
                }
            });
            return result;
        }

        private void addOperation(Map<String, OperationDraft> result, Map<String, String> routes,
                                  OperationDraft operation, Path file) {
            OperationProperties properties = operation.properties();
            String route = properties.method().toUpperCase(Locale.ROOT) + " "
                    + TEMPLATE_PARAMETER.matcher(properties.urlTemplate()).replaceAll("{}");
            String other = routes.putIfAbsent(route, operation.id());
            if (other != null) {
                errors.add(ConfigError.of(relative(file), "method " + properties.method() + " and urlTemplate \""
                        + properties.urlTemplate() + "\" are already used by operation \"" + other + "\""));
                return;
            }
            result.put(operation.id(), operation);
        }

        /**
         * The API's OpenAPI specification file, or null if it has none; a specification of a kind Certgate does not
         * read (GraphQL, WSDL, WADL) is an error that names it.
         */
        private Path specification(Path apiFolder) {
            for (Map.Entry<String, String> unsupported : new TreeMap<>(Specifications.UNSUPPORTED_FILES).entrySet()) {
                Path file = apiFolder.resolve(unsupported.getKey());
                if (view.isFile(file)) {
                    errors.add(ConfigError.of(relative(file), "API \"" + apiFolder.getFileName() + "\" is described by "
                            + unsupported.getValue() + ": Certgate serves HTTP APIs with operations from OpenAPI"
                            + " (specification.yaml or .json) only, so this API is not served"));
                }
            }
            for (String name : Specifications.OPENAPI_FILES) {
                Path file = apiFolder.resolve(name);
                if (view.isFile(file)) {
                    return file;
                }
            }
            return null;
        }

        /** The specification's operations, or null after reporting why it cannot be read. */
        private List<Specifications.SpecOperation> specified(Path specification, boolean requiredQueryInTemplates) {
            Optional<byte[]> bytes = read(specification);
            if (bytes.isEmpty()) {
                return null;
            }
            try {
                return Specifications.operations(Utf8Text.decode(bytes.get(), relative(specification)),
                        relative(specification), requiredQueryInTemplates, errors);
            } catch (Utf8Text.Invalid e) {
                errors.add(e.error());
                return null;
            }
        }

        /** @param positions where the file's properties stand; null for an operation from a specification */
        private boolean checkOperation(Path file, JsonPositions positions, OperationProperties properties) {
            boolean ok = true;
            if (properties.method() == null || !METHOD.matcher(properties.method()).matches()) {
                errors.add(error(file, positions, "properties.method is required: an HTTP method such as GET",
                        "properties", "method"));
                ok = false;
            }
            if (properties.urlTemplate() == null || !properties.urlTemplate().startsWith("/")) {
                errors.add(error(file, positions,
                        "properties.urlTemplate is required and starts with '/', such as /orders/{id}",
                        "properties", "urlTemplate"));
                ok = false;
            } else if (!UrlTemplates.catchAllLast(properties.urlTemplate())) {
                errors.add(error(file, positions, "urlTemplate \"" + properties.urlTemplate()
                        + "\": a catch-all parameter {*name} may only stand last, as the whole last segment",
                        "properties", "urlTemplate"));
                ok = false;
            }
            return ok;
        }

        private ConfigError error(Path file, JsonPositions positions, String message, Object... at) {
            return positions == null ? ConfigError.of(relative(file), message)
                    : positions.error(relative(file), message, at);
        }

        /**
         * Two APIs claiming the same calls are both in error: which one was meant is the person's call. Only the
         * current revision of an API claims its path.
         */
        private void checkDuplicatePaths(Map<String, ApiDraft> apis) {
            Map<String, List<ApiDraft>> byPath = new TreeMap<>();
            Revisions.choose(apis.keySet(), folder -> apis.get(folder).properties()).values().stream()
                    .filter(choice -> choice.current() != null)
                    .map(choice -> apis.get(choice.current()))
                    .forEach(api -> byPath.computeIfAbsent(api.route().routingPath(),
                            key -> new ArrayList<>()).add(api));
            byPath.values().forEach(claimants -> {
                for (ApiDraft api : claimants) {
                    List<String> others = claimants.stream()
                            .filter(other -> other != api && other.route().conflictsWith(api.route()))
                            .map(other -> "\"" + other.id() + "\"").toList();
                    if (!others.isEmpty()) {
                        errors.add(ConfigError.of(relative(api.informationFile()), api.route().describe()
                                + " is also used by API " + String.join(", ", others)
                                + "; neither is served until one changes"));
                    }
                }
            });
        }

        /** The API with its policies composed per operation, or null (errors added to both lists). */
        private ApiConfig compose(PolicyDocument global, ApiDraft api, List<ConfigError> found) {
            int before = errors.size();
            Map<String, OperationConfig> operations = new TreeMap<>();
            for (OperationDraft operation : api.operations().values()) {
                PolicyDocument effective = composed(operation.informationFile(),
                        (g, a) -> PolicyComposer.compose(g, a, operation.policy()), global, api.policy());
                operations.put(operation.id(), new OperationConfig(api.id(), operation.id(),
                        operation.properties(), operation.policy(), effective));
            }
            PolicyDocument effective = composed(api.informationFile(),
                    (g, a) -> PolicyComposer.compose(g, a, PolicyDocument.INHERIT), global, api.policy());
            if (errors.size() > before) {
                found.addAll(errors.subList(before, errors.size()));
                return null;
            }
            return new ApiConfig(api.id(), api.properties(), api.policy(), GatewaySnapshot.sorted(operations),
                    effective, api.route());
        }

        private PolicyDocument composed(Path scope, BiFunction<PolicyDocument, PolicyDocument, PolicyDocument> composer,
                                        PolicyDocument global, PolicyDocument api) {
            try {
                return composer.apply(global, api);
            } catch (PolicyException e) {
                errors.add(ConfigError.of(relative(scope.resolveSibling(POLICY)), "cannot compose the policies: "
                        + e.getMessage()));
                return null;
            }
        }

        /** The folders of {@code dir} by id; a folder whose name is not an id is an error. */
        private Map<String, Path> idFolders(Path dir, String kind) {
            Map<String, Path> result = new TreeMap<>();
            for (String name : list(dir)) {
                Path child = dir.resolve(name);
                if (!view.isDirectory(child)) {
                    continue;
                }
                if (Ids.isValid(name) || kind.equals(API) && Revisions.isRevisionFolder(name)) {
                    result.put(name, child);
                } else {
                    errors.add(ConfigError.of(relative(child), "folder name \"" + name + "\" is not a valid " + kind
                            + " id: it must match " + Ids.PATTERN.pattern()
                            + (kind.equals(API) ? " (or be <id>;rev=<n> for a revision)" : "")));
                }
            }
            return result;
        }

        /**
         * The properties of an entity's information file, or null (error added unless the folder is empty). A
         * property neither Certgate nor APIM defines is an error; APIM settings Certgate does not use are a warning.
         */
        private <P> Information<P> information(Path folder, Path file, Class<P> type) {
            Optional<byte[]> bytes = readRequired(folder, file);
            if (bytes.isEmpty()) {
                return null;
            }
            String source = relative(file);
            P properties = JsonEnvelope.read(bytes.get(), type, source, errors);
            if (properties == null) {
                return null;
            }
            JsonPositions positions = new JsonPositions(bytes.get());
            InformationFiles.reportUnused(properties, positions, source, errors, warnings);
            // Even with an unknown property the rest is checked, so one load reports every mistake of the file.
            return new Information<>(properties, positions);
        }

        private Optional<byte[]> readRequired(Path folder, Path file) {
            Optional<byte[]> bytes = read(file);
            if (bytes.isEmpty() && !view.isFile(file) && !list(folder).isEmpty()) {
                errors.add(ConfigError.of(relative(folder), "missing " + file.getFileName()));
            }
            return bytes;
        }

        /** A scope's policy document; {@link PolicyDocument#INHERIT} without a file; null if invalid. */
        private PolicyDocument policy(Path file) {
            Optional<byte[]> bytes = read(file);
            if (bytes.isEmpty()) {
                return PolicyDocument.INHERIT;
            }
            String source = relative(file);
            try {
                PolicyParser.Located located = PolicyParser.parseLocated(Utf8Text.decode(bytes.get(), source), source,
                        context);
                policies.put(source, located);
                return located.document();
            } catch (Utf8Text.Invalid e) {
                errors.add(e.error());
            } catch (PolicyException e) {
                // A fragment's problem comes once for each document that includes it: listed once, filed under each.
                e.problems().stream().map(PolicyErrors::of).forEach(error -> {
                    if (!errors.contains(error)) {
                        errors.add(error);
                    }
                    fileUnder(source, error);
                });
            }
            return null;
        }

        /** Files an error of the policy document {@code file} under it when it stands in a fragment it includes. */
        private void fileUnder(String file, ConfigError error) {
            if (!file.equals(error.file())) {
                included.computeIfAbsent(file, key -> new ArrayList<>()).add(error);
            }
        }

        private boolean checkUrl(Path file, JsonPositions positions, String property, String url, boolean required) {
            if (url == null || url.isBlank()) {
                if (required) {
                    errors.add(positions.error(relative(file), "properties." + property
                            + " is required: an absolute http or https URL", "properties", property));
                }
                return !required;
            }
            if (HttpUrls.isHttpUrl(url)) {
                return true;
            }
            errors.add(positions.error(relative(file), "properties." + property + " \"" + url
                    + "\" is not an absolute http or https URL", "properties", property));
            return false;
        }

        private List<String> list(Path dir) {
            return IdFolders.list(layout, view, dir, errors);
        }

        private Optional<byte[]> read(Path file) {
            return view.read(file, layout, errors);
        }
    }

    private String relative(Path path) {
        return layout.relative(path);
    }
}
