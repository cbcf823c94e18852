package dev.certgate.config;

import dev.certgate.api.model.ApiProperties;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Operations from the OpenAPI and Swagger documents the APIOps extractor writes. */
class SpecificationsTest {
    static final String OPENAPI_30 = """
            openapi: 3.0.1
            info: {title: shop, version: '1.0'}
            servers:
              - url: https://example.azure-api.net/shop
            paths:
              /items/{id}:
                get:
                  operationId: get-item
                  summary: Get an item
                  parameters:
                    - {name: id, in: path, required: true, schema: {type: string}}
                  responses: {'200': {description: ok}}
                delete:
                  operationId: delete-item
                  responses: {'204': {description: gone}}
              /files/{*path}:
                get:
                  operationId: get-file
                  responses: {'200': {description: ok}}
              /health:
                head:
                  responses: {'200': {description: ok}}
            """;

    static final String SWAGGER_20 = """
            {
              "swagger": "2.0",
              "info": {"title": "legacy", "version": "1"},
              "basePath": "/legacy",
              "paths": {
                "/orders/{orderId}/lines/{line}": {
                  "put": {"operationId": "putLine", "parameters": [
                    {"name": "orderId", "in": "path", "required": true, "type": "string"},
                    {"name": "line", "in": "path", "required": true, "type": "integer"}],
                    "responses": {"200": {"description": "ok"}}}
                },
                "/{*rest}": {"get": {"operationId": "anything", "responses": {"200": {"description": "ok"}}}}
              }
            }
            """;

    static final String OPENAPI_31 = """
            {"openapi": "3.1.0", "info": {"title": "new", "version": "1"},
             "paths": {"/things/{thing}": {"post": {"operationId": "make", "summary": "Make a thing",
               "parameters": [{"name": "thing", "in": "path", "required": true, "schema": {"type": ["string", "null"]}}],
               "responses": {"201": {"description": "made"}}}}}}
            """;

    private final List<ConfigError> errors = new ArrayList<>();

    @Test
    void openApi30OperationsWithPathParametersACatchAllAndAGeneratedId() {
        List<Specifications.SpecOperation> operations =
                Specifications.operations(OPENAPI_30, "spec.yaml", true, errors);

        assertThat(errors).isEmpty();
        assertThat(operations).containsExactly(
                new Specifications.SpecOperation("get-item", "GET", "/items/{id}", "Get an item"),
                new Specifications.SpecOperation("delete-item", "DELETE", "/items/{id}", "delete-item"),
                new Specifications.SpecOperation("get-file", "GET", "/files/{*path}", "get-file"),
                new Specifications.SpecOperation("head-health", "HEAD", "/health", "head-health"));
    }

    static final String REQUIRED_QUERY = """
            openapi: 3.0.1
            info: {title: finder, version: '1'}
            paths:
              /find:
                parameters:
                  - {name: region, in: query, required: true, schema: {type: string}}
                  - {name: page, in: query, required: true, schema: {type: integer}}
                get:
                  operationId: find
                  parameters:
                    - {name: name, in: query, required: true, schema: {type: string}}
                    - {name: page, in: query, required: false, schema: {type: integer}}
                    - {name: sort, in: query, schema: {type: string}}
                    - {name: X-Trace, in: header, required: true, schema: {type: string}}
                  responses: {'200': {description: ok}}
            """;

    @Test
    void requiredQueryParametersJoinTheTemplateAsApimImportsThem() {
        // The path's region and the operation's name; page is optional where the operation says so.
        assertThat(Specifications.operations(REQUIRED_QUERY, "spec.yaml", true, errors)).containsExactly(
                new Specifications.SpecOperation("find", "GET", "/find?region={region}&name={name}", "find"));
        assertThat(Specifications.operations(REQUIRED_QUERY, "spec.yaml", false, errors)).containsExactly(
                new Specifications.SpecOperation("find", "GET", "/find", "find"));
        assertThat(errors).isEmpty();
    }

    @Test
    void translateRequiredQueryParametersQueryKeepsThemOutOfTemplates() {
        assertThat(Specifications.requiredQueryInTemplates(api(Map.of()))).isTrue();
        assertThat(Specifications.requiredQueryInTemplates(api(Map.of("translateRequiredQueryParameters", "template"))))
                .isTrue();
        assertThat(Specifications.requiredQueryInTemplates(api(Map.of("translateRequiredQueryParameters", "query"))))
                .isFalse();
    }

    private static ApiProperties api(Map<String, Object> unused) {
        return new ApiProperties("Finder", "finder", "https://finder.example", List.of("https"), unused);
    }

    @Test
    void swagger20IsConvertedAndItsBasePathLeftToTheApiPath() {
        List<Specifications.SpecOperation> operations =
                Specifications.operations(SWAGGER_20, "spec.json", true, errors);

        assertThat(errors).isEmpty();
        assertThat(operations).containsExactly(
                new Specifications.SpecOperation("putLine", "PUT", "/orders/{orderId}/lines/{line}", "putLine"),
                new Specifications.SpecOperation("anything", "GET", "/{*rest}", "anything"));
    }

    @Test
    void openApi31() {
        assertThat(Specifications.operations(OPENAPI_31, "spec.json", true, errors))
                .containsExactly(new Specifications.SpecOperation("make", "POST", "/things/{thing}", "Make a thing"));
        assertThat(errors).isEmpty();
    }

    @Test
    void whatIsNotAnOpenApiDocumentIsAnErrorNamingTheFile() {
        assertThat(Specifications.operations("just: [a, list", "config/apis/a/specification.yaml", true,
                errors)).isNull();
        assertThat(Specifications.operations("{\"hello\": 1}", "config/apis/b/specification.json", true, errors)).isNull();

        assertThat(errors).extracting(e -> e.file() + ":" + e.line() + " " + e.message()).satisfiesExactly(
                m -> assertThat(m).startsWith("config/apis/a/specification.yaml:1 not well-formed YAML or JSON: "),
                m -> assertThat(m).startsWith("config/apis/b/specification.json:null not an OpenAPI 3 or Swagger 2.0"));
    }

    @Test
    void anOperationIdThatCannotNameAFolderIsAnError() {
        String spec = "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
                + "      operationId: 'get a/b'\n      responses: {'200': {description: ok}}\n";

        assertThat(Specifications.operations(spec, "s.yaml", true, errors)).isNull();
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.message())
                .startsWith("GET /a: operationId \"get a/b\" is not a valid operation id"));
    }

    @Test
    void referencesAreNotFetched() {
        String spec = "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n"
                + "  /a:\n    $ref: 'http://127.0.0.1:9/never-fetched.yaml#/paths/a'\n"
                + "  /b:\n    get:\n      operationId: b\n      responses: {'200': {description: ok}}\n";

        List<Specifications.SpecOperation> operations = Specifications.operations(spec, "s.yaml", true, errors);

        assertThat(operations).extracting(Specifications.SpecOperation::id).containsExactly("b");
    }
}
