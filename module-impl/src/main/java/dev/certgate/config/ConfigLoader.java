package dev.certgate.config;

import dev.certgate.x509.Thumbprints;

import dev.certgate.api.Ids;
import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.model.CertificateProperties;
import dev.certgate.api.model.OperationProperties;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.policy.PolicyComposer;
import dev.certgate.policy.PolicyContext;
import dev.certgate.policy.PolicyException;
import dev.certgate.policy.PolicyParser;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    private static final String API_INFORMATION = "apiInformation.json";
    private static final String OPERATION_INFORMATION = "operationInformation.json";
    private static final String BACKEND_INFORMATION = "backendInformation.json";
    private static final String CERTIFICATE_INFORMATION = "certificateInformation.json";
    private static final String AUTHORITY_PEM = "authority.pem";
    private static final String POLICY = "policy.xml";

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
                            Map<String, OperationDraft> operations) {
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
        /** Where in its file each backend's properties stand, by id, for the reference checks. */
        private final Map<String, JsonPositions> backendPositions = new TreeMap<>();
        /** The ids of the certificates and backends that have an information file, whether it loaded or not. */
        private final Set<String> certificateIds = new HashSet<>();
        private final Set<String> backendIds = new HashSet<>();
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
            Map<String, ApiDraft> apis = apis();
            checkDuplicatePaths(apis);

            CrossReferences references = new CrossReferences(certificates, certificateIds, backendIds, errors);
            backends.forEach((id, backend) -> references.checkBackend(relative(layout.backendInformation(id)), backend,
                    backendPositions.get(id)));
            policies.forEach(references::checkPolicy);

            if (!errors.isEmpty()) {
                return new LoadResult(null, errors, warnings);
            }
            Map<String, ApiConfig> composed = compose(global, apis);
            if (!errors.isEmpty()) {
                return new LoadResult(null, errors, warnings);
            }
            return new LoadResult(new GatewaySnapshot(0, Instant.now(), global, GatewaySnapshot.sorted(composed),
                    GatewaySnapshot.sorted(backends), GatewaySnapshot.sorted(certificates),
                    GatewaySnapshot.sorted(authorities)), List.of(), warnings);
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
                    errors.add(ConfigError.of(relative(file),
                            "properties.thumbprint is required: the SHA-1 thumbprint, 40 hex digits"));
                    return;
                }
                result.put(id, new CertificateProperties(properties.subject(), properties.issuer(), thumbprint,
                        properties.thumbprintSha256(), properties.expirationDate(), properties.notBefore()));
            });
            return result;
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
                BackendProperties backend = information == null ? null : BackendNamedValues.resolve(
                        information.properties(), context, relative(file), information.positions(), errors);
                if (backend != null && checkUrl(file, "properties.url", backend.url(), true)) {
                    result.put(id, backend);
                    backendPositions.put(id, information.positions());
                }
            });
            return result;
        }

        private Map<String, ApiDraft> apis() {
            Map<String, ApiDraft> result = new TreeMap<>();
            idFolders(layout.apisDir(), "api").forEach((id, folder) -> {
                Path file = folder.resolve(API_INFORMATION);
                Information<ApiProperties> information = information(folder, file, ApiProperties.class);
                PolicyDocument policy = policy(folder.resolve(POLICY));
                Map<String, OperationDraft> operations = operations(folder.resolve("operations"));
                if (information == null) {
                    return;
                }
                ApiProperties properties = information.properties();
                if (properties.path() == null) {
                    errors.add(ConfigError.of(relative(file),
                            "properties.path is required (the URL suffix; \"\" for the root API)"));
                    return;
                }
                if (checkUrl(file, "properties.serviceUrl", properties.serviceUrl(), false)) {
                    result.put(id, new ApiDraft(id, properties, policy, file, operations));
                }
            });
            return result;
        }

        private Map<String, OperationDraft> operations(Path operationsDir) {
            Map<String, OperationDraft> result = new TreeMap<>();
            Map<String, String> routes = new LinkedHashMap<>();
            idFolders(operationsDir, "operation").forEach((id, folder) -> {
                Path file = folder.resolve(OPERATION_INFORMATION);
                Information<OperationProperties> information = information(folder, file, OperationProperties.class);
                PolicyDocument policy = policy(folder.resolve(POLICY));
                if (information == null || !checkOperation(file, information.properties())) {
                    return;
                }
                OperationProperties properties = information.properties();
                String route = properties.method().toUpperCase(Locale.ROOT) + " "
                        + TEMPLATE_PARAMETER.matcher(properties.urlTemplate()).replaceAll("{}");
                String other = routes.putIfAbsent(route, id);
                if (other != null) {
                    errors.add(ConfigError.of(relative(file), "method " + properties.method() + " and urlTemplate \""
                            + properties.urlTemplate() + "\" are already used by operation \"" + other + "\""));
                    return;
                }
                result.put(id, new OperationDraft(id, properties, policy, file));
            });
            return result;
        }

        private boolean checkOperation(Path file, OperationProperties properties) {
            boolean ok = true;
            if (properties.method() == null || !METHOD.matcher(properties.method()).matches()) {
                errors.add(ConfigError.of(relative(file), "properties.method is required: an HTTP method such as GET"));
                ok = false;
            }
            if (properties.urlTemplate() == null || !properties.urlTemplate().startsWith("/")) {
                errors.add(ConfigError.of(relative(file),
                        "properties.urlTemplate is required and starts with '/', such as /orders/{id}"));
                ok = false;
            }
            return ok;
        }

        private void checkDuplicatePaths(Map<String, ApiDraft> apis) {
            Map<String, String> byPath = new LinkedHashMap<>();
            apis.values().forEach(api -> {
                String path = api.properties().path().replaceAll("^/+|/+$", "");
                String other = byPath.putIfAbsent(path, api.id());
                if (other != null) {
                    errors.add(ConfigError.of(relative(api.informationFile()),
                            "path \"" + path + "\" is already used by API \"" + other + "\""));
                }
            });
        }

        private Map<String, ApiConfig> compose(PolicyDocument global, Map<String, ApiDraft> apis) {
            Map<String, ApiConfig> result = new TreeMap<>();
            for (ApiDraft api : apis.values()) {
                Map<String, OperationConfig> operations = new TreeMap<>();
                for (OperationDraft operation : api.operations().values()) {
                    PolicyDocument effective = composed(operation.informationFile(),
                            (g, a) -> PolicyComposer.compose(g, a, operation.policy()), global, api.policy());
                    operations.put(operation.id(), new OperationConfig(api.id(), operation.id(),
                            operation.properties(), operation.policy(), effective));
                }
                PolicyDocument effective = composed(api.informationFile(),
                        (g, a) -> PolicyComposer.compose(g, a, PolicyDocument.INHERIT), global, api.policy());
                result.put(api.id(), new ApiConfig(api.id(), api.properties(), api.policy(),
                        GatewaySnapshot.sorted(operations), effective));
            }
            return result;
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
                if (Ids.isValid(name)) {
                    result.put(name, child);
                } else {
                    errors.add(ConfigError.of(relative(child), "folder name \"" + name + "\" is not a valid " + kind
                            + " id: it must match " + Ids.PATTERN.pattern()));
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
            List<UnusedProperties.Finding> findings = UnusedProperties.of(properties);
            List<UnusedProperties.Finding> notUsed = new ArrayList<>();
            for (UnusedProperties.Finding finding : findings) {
                if (finding.verdict() == UnusedProperties.Verdict.UNKNOWN) {
                    errors.add(positions.error(source, finding.message(), finding.path().toArray()));
                } else if (finding.verdict() == UnusedProperties.Verdict.NOT_USED) {
                    notUsed.add(finding);
                }
            }
            if (!notUsed.isEmpty()) {
                String names = notUsed.stream().map(UnusedProperties.Finding::name).collect(Collectors.joining(", "));
                warnings.add(positions.warning(ConfigWarning.NOT_USED, source,
                        "not used by Certgate (kept as written): " + names, notUsed.get(0).path().toArray()));
            }
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
                PolicyParser.Located located = PolicyParser.parseLocated(utf8(bytes.get()), source, context);
                policies.put(source, located);
                return located.document();
            } catch (CharacterCodingException e) {
                errors.add(ConfigError.of(source, "not valid UTF-8"));
            } catch (PolicyException e) {
                // A fragment's problem comes once for each document that includes it: listed once.
                e.problems().stream().map(PolicyErrors::of).filter(error -> !errors.contains(error))
                        .forEach(errors::add);
            }
            return null;
        }

        private boolean checkUrl(Path file, String field, String url, boolean required) {
            if (url == null || url.isBlank()) {
                if (required) {
                    errors.add(ConfigError.of(relative(file), field + " is required: an absolute http or https URL"));
                }
                return !required;
            }
            try {
                URI uri = new URI(url);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return true;
                }
            } catch (URISyntaxException e) {
                // Reported below like any other URL that is not absolute http(s).
            }
            errors.add(ConfigError.of(relative(file), field + " \"" + url + "\" is not an absolute http or https URL"));
            return false;
        }

        /** The names in {@code dir} the loader may read: hidden, backup and temporary files are skipped. */
        private List<String> list(Path dir) {
            try {
                return view.list(dir).stream().filter(name -> !ignored(name)).toList();
            } catch (IOException e) {
                errors.add(ConfigError.of(relative(dir), "cannot list: " + e));
                return List.of();
            }
        }

        private Optional<byte[]> read(Path file) {
            try {
                return view.read(file);
            } catch (IOException e) {
                errors.add(ConfigError.of(relative(file), "cannot read: " + e));
                return Optional.empty();
            }
        }
    }

    private static boolean ignored(String name) {
        return name.startsWith(".") || name.endsWith("~") || name.endsWith(".tmp")
                || (name.startsWith("#") && name.endsWith("#"));
    }

    /** Strict UTF-8 (a byte-order mark is dropped): a policy in another encoding is an error, not mojibake. */
    private static String utf8(byte[] bytes) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private String relative(Path path) {
        return layout.relative(path);
    }
}
