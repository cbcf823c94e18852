package dev.certgate.config;

import dev.certgate.api.Ids;
import dev.certgate.api.model.ApiProperties;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operations of an APIOps API folder's {@code specification.yaml|yml|json} (OpenAPI 3.0, 3.1, or Swagger 2.0,
 * which the parser converts): operation id ({@code operationId}, or APIM's name for one without: method and path),
 * method and URL template. The specification is read as it is: no {@code $ref} is resolved, so reading it never
 * fetches anything.
 */
final class Specifications {
    /** The names of a specification Certgate reads operations from, in the order they are looked for. */
    static final List<String> OPENAPI_FILES = List.of("specification.yaml", "specification.yml", "specification.json");
    /** Specifications of API kinds Certgate does not serve, with the kind's name for the message. */
    static final Map<String, String> UNSUPPORTED_FILES = Map.of(
            "specification.graphql", "a GraphQL schema",
            "specification.wsdl", "a WSDL (SOAP) description",
            "specification.wadl", "a WADL description");

    /** YAML is a superset of JSON: one reader for both forms. */
    private static final ObjectMapper YAML = new YAMLMapper();

    /** One operation of a specification. */
    record SpecOperation(String id, String method, String urlTemplate, String displayName) {
    }

    private Specifications() {
    }

    /**
     * Whether required query parameters become template parameters, as APIM imports them by default: not when the
     * API's {@code translateRequiredQueryParameters} is {@code query}.
     */
    static boolean requiredQueryInTemplates(ApiProperties api) {
        Object translate = api.unused().get("translateRequiredQueryParameters");
        return translate == null || !"query".equalsIgnoreCase(String.valueOf(translate).trim());
    }

    /**
     * The specification's operations in file order, or null after adding the reason to {@code errors}. With
     * {@code requiredQueryInTemplates}, an operation's required query parameters join its URL template
     * ({@code /find?name={name}}), so that, as in APIM, a request without them does not match it.
     */
    static List<SpecOperation> operations(String text, String file, boolean requiredQueryInTemplates,
                                          List<ConfigError> errors) {
        if (!wellFormed(text, file, errors)) {
            return null;
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result;
        try {
            result = new OpenAPIParser().readContents(text, null, options);
        } catch (RuntimeException e) {
            errors.add(ConfigError.of(file, "not a readable OpenAPI or Swagger document: " + e.getMessage()));
            return null;
        }
        OpenAPI openApi = result == null ? null : result.getOpenAPI();
        if (openApi == null) {
            List<String> messages = result == null || result.getMessages() == null ? List.of() : result.getMessages();
            errors.add(ConfigError.of(file, "not an OpenAPI 3 or Swagger 2.0 document"
                    + (messages.isEmpty() ? "" : ": " + String.join("; ", messages))));
            return null;
        }
        List<SpecOperation> operations = new ArrayList<>();
        if (openApi.getPaths() == null) {
            return operations;
        }
        boolean ok = true;
        for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                String method = entry.getKey().name();
                Operation operation = entry.getValue();
                String id = operation.getOperationId() == null || operation.getOperationId().isBlank()
                        ? generatedId(method, path.getKey()) : operation.getOperationId();
                if (!Ids.isValid(id)) {
                    errors.add(ConfigError.of(file, method + " " + path.getKey() + ": operationId \"" + id
                            + "\" is not a valid operation id: it must match " + Ids.PATTERN.pattern()
                            + " (it names the folder operations/<id>/ that holds the operation's policy)"));
                    ok = false;
                    continue;
                }
                String displayName = operation.getSummary() == null || operation.getSummary().isBlank() ? id
                        : operation.getSummary();
                String template = requiredQueryInTemplates
                        ? path.getKey() + requiredQuery(path.getValue(), operation) : path.getKey();
                operations.add(new SpecOperation(id, method, template, displayName));
            }
        }
        return ok ? operations : null;
    }

    /**
     * Whether the text is a YAML (or JSON) object that says it is OpenAPI 3 or Swagger 2.0. Checked before the
     * parser sees it, so that a syntax error is reported at its line and column (the parser would log it with a
     * stack trace and answer no position).
     */
    private static boolean wellFormed(String text, String file, List<ConfigError> errors) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            errors.add(new ConfigError(file, at != null && at.getLineNr() > 0 ? at.getLineNr() : null,
                    at != null && at.getColumnNr() > 0 ? at.getColumnNr() : null,
                    "not well-formed YAML or JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")));
            return false;
        }
        String openApi = root == null ? "" : root.path("openapi").asText("");
        String swagger = root == null ? "" : root.path("swagger").asText("");
        if (openApi.startsWith("3.") || swagger.equals("2.0")) {
            return true;
        }
        errors.add(ConfigError.of(file, "not an OpenAPI 3 or Swagger 2.0 document: it has neither \"openapi\": \"3.x\""
                + " nor \"swagger\": \"2.0\" at the top"));
        return false;
    }

    /**
     * {@code ?a={a}&b={b}} for the required query parameters of the operation and of its path (the operation's own
     * declaration of a name wins), in declaration order; empty without any. A parameter given by {@code $ref} is not
     * resolved (nothing is fetched), and so does not count.
     */
    private static String requiredQuery(PathItem path, Operation operation) {
        Map<String, Boolean> required = new LinkedHashMap<>();
        for (List<Parameter> parameters : Arrays.asList(path.getParameters(), operation.getParameters())) {
            if (parameters == null) {
                continue;
            }
            for (Parameter parameter : parameters) {
                if ("query".equals(parameter.getIn()) && parameter.getName() != null
                        && !parameter.getName().isBlank()) {
                    required.remove(parameter.getName());
                    required.put(parameter.getName(), Boolean.TRUE.equals(parameter.getRequired()));
                }
            }
        }
        StringBuilder query = new StringBuilder();
        required.forEach((name, isRequired) -> {
            if (isRequired) {
                query.append(query.isEmpty() ? '?' : '&').append(name).append("={").append(name).append('}');
            }
        });
        return query.toString();
    }

    /** APIM's name for an operation without operationId: {@code get-orders-id} for {@code GET /orders/{id}}. */
    private static String generatedId(String method, String path) {
        String slug = path.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        String id = method.toLowerCase(Locale.ROOT) + (slug.isEmpty() ? "" : "-" + slug);
        return id.length() > 80 ? id.substring(0, 80) : id;
    }
}
