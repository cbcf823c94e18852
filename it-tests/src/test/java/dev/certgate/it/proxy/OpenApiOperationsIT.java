package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.EchoBackend;
import dev.certgate.it.support.Gateway;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Reply;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: an APIOps API folder keeps its operations in {@code specification.yaml|json} (OpenAPI 3, Swagger 2.0),
 * with each operation's policy in {@code operations/<operationId>/policy.xml} and no operationInformation.json; the
 * gateway routes by them, path parameters and APIM's catch-all {@code {*path}} included.
 */
@ExtendWith(ArquillianExtension.class)
class OpenApiOperationsIT {
    private static final EchoBackend BACKEND = EchoBackend.start();
    private static final String OPENAPI_3 = """
            openapi: 3.0.1
            info: {title: shop, version: '1.0'}
            servers:
              - url: https://example.azure-api.net/shop
            paths:
              /items/{id}:
                get:
                  operationId: get-item
                  parameters:
                    - {name: id, in: path, required: true, schema: {type: string}}
                  responses: {'200': {description: ok}}
              /files/{*path}:
                get:
                  operationId: get-file
                  responses: {'200': {description: ok}}
              /plain:
                get:
                  operationId: plain
                  responses: {'200': {description: ok}}
            """;
    private static final String SWAGGER_2 = """
            {"swagger": "2.0", "info": {"title": "legacy", "version": "1"}, "basePath": "/legacy",
             "paths": {"/orders/{orderId}": {"get": {"operationId": "getOrder", "parameters": [
               {"name": "orderId", "in": "path", "required": true, "type": "string"}],
               "responses": {"200": {"description": "ok"}}}}}}
            """;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Path home = CertgateWar.freshHome(OpenApiOperationsIT.class);
        HomeFiles.write(home, "config/apis/shop/apiInformation.json",
                HomeFiles.apiInformation("shop", "shop", BACKEND.url()));
        HomeFiles.write(home, "config/apis/shop/specification.yaml", OPENAPI_3);
        HomeFiles.write(home, "config/apis/shop/operations/get-item/policy.xml", rewriteTo("/by-id/{id}"));
        HomeFiles.write(home, "config/apis/shop/operations/get-file/policy.xml", rewriteTo("/blob/{path}"));
        HomeFiles.write(home, "config/apis/legacy/apiInformation.json",
                HomeFiles.apiInformation("legacy", "legacy", BACKEND.url()));
        HomeFiles.write(home, "config/apis/legacy/specification.json", SWAGGER_2);
        HomeFiles.write(home, "config/apis/legacy/operations/getOrder/policy.xml", rewriteTo("/o/{orderId}"));
        return CertgateWar.forClass(OpenApiOperationsIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void openApi3OperationsRouteWithPathParametersAndACatchAll() {
        assertThat(Gateway.get(base, "shop/items/42").body()).isEqualTo("echo /by-id/42");
        assertThat(Gateway.get(base, "shop/files/a/b/c.txt").body()).isEqualTo("echo /blob/a/b/c.txt");
        assertThat(Gateway.get(base, "shop/plain").body()).as("an operation without a policy folder")
                .isEqualTo("echo /plain");
        Reply unknown = Gateway.get(base, "shop/other");
        assertThat(unknown.status()).as("the API has operations, and none matches").isEqualTo(404);
        assertThat(unknown.json().path("reason").asText()).isEqualTo("ResourceNotFound");
    }

    @Test
    void swagger2OperationsRouteToo() {
        assertThat(Gateway.get(base, "legacy/orders/7").body()).isEqualTo("echo /o/7");
        assertThat(Gateway.get(base, "legacy/orders").status()).isEqualTo(404);
    }

    @Test
    void theStatusShowsBothServedWithoutErrors() {
        JsonNode status = AdminClient.admin(base).get("status").json();

        assertThat(status.path("errors").size()).as(status.toString()).isZero();
        assertThat(status.path("apis").path("served").findValuesAsText("id")).containsExactly("legacy", "shop");
    }

    private static String rewriteTo(String template) {
        return HomeFiles.inboundPolicy("<rewrite-uri template=\"" + template + "\" />");
    }
}
