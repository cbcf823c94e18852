package dev.certgate.config;

import dev.certgate.api.model.ApiProperties;

import java.util.Locale;
import java.util.Map;

/**
 * APIM's API types ({@code type}, or {@code apiType} as APIOps may write it): Certgate serves HTTP APIs; a SOAP,
 * GraphQL, WebSocket, OData or gRPC API is not served, and is reported by name.
 */
final class ApiTypes {
    private static final Map<String, String> NAMES = Map.of("soap", "a SOAP API", "graphql", "a GraphQL API",
            "websocket", "a WebSocket API", "odata", "an OData API", "grpc", "a gRPC API");

    private ApiTypes() {
    }

    /** The property naming a type other than HTTP ({@code "type"} or {@code "apiType"}), or null. */
    static String unsupportedProperty(ApiProperties properties) {
        for (String name : new String[] {"type", "apiType"}) {
            Object value = properties.unused().get(name);
            if (value != null && !"http".equalsIgnoreCase(String.valueOf(value).trim())
                    && !String.valueOf(value).isBlank()) {
                return name;
            }
        }
        return null;
    }

    /** "a SOAP API (type "soap")": what the API is, for the message. */
    static String describe(ApiProperties properties, String property) {
        String value = String.valueOf(properties.unused().get(property));
        String kind = NAMES.getOrDefault(value.toLowerCase(Locale.ROOT), "an API of type \"" + value + "\"");
        return kind + " (" + property + " \"" + value + "\")";
    }
}
