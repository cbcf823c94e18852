package dev.certgate.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each property and array element of a JSON file starts, so that a problem found after binding (a
 * certificate a backend names that does not exist, a property nobody defines) is reported at its line and
 * column. The file is scanned on the first question only: a valid file is never scanned for this.
 */
final class JsonPositions {
    private final byte[] json;
    private Map<JsonPointer, JsonLocation> index;

    JsonPositions(byte[] json) {
        this.json = json;
    }

    /**
     * An error in {@code file} at the value that {@code path} leads to from the top of the file (property names
     * and array indexes, such as {@code "properties", "credentials", "certificateIds", 0}); for a value the file
     * does not have (a required property left out), at the nearest enclosing one it has.
     */
    ConfigError error(String file, String message, Object... path) {
        JsonLocation location = locate(path);
        return location == null ? ConfigError.of(file, message)
                : new ConfigError(file, location.getLineNr(), location.getColumnNr(), message);
    }

    /** A warning about {@code file} at the value {@code path} leads to, as {@link #error}. */
    ConfigWarning warning(String code, String file, String message, Object... path) {
        JsonLocation location = locate(path);
        return location == null ? new ConfigWarning(code, file, null, null, message)
                : new ConfigWarning(code, file, location.getLineNr(), location.getColumnNr(), message);
    }

    private JsonLocation locate(Object... path) {
        JsonPointer pointer = JsonPointer.empty();
        for (Object step : path) {
            pointer = step instanceof Integer i ? pointer.appendIndex(i) : pointer.appendProperty(step.toString());
        }
        if (index == null) {
            index = scan(json);
        }
        for (JsonPointer at = pointer; at != null && !at.matches(); at = at.head()) {
            JsonLocation location = index.get(at);
            if (location != null) {
                return location;
            }
        }
        return null;
    }

    /** A property is found where its name starts, an array element where its value starts. */
    private static Map<JsonPointer, JsonLocation> scan(byte[] json) {
        Map<JsonPointer, JsonLocation> result = new HashMap<>();
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                // At the start of an object or array the context is already the new one; the element is its parent's.
                JsonStreamContext context = token.isStructStart() ? parser.getParsingContext().getParent()
                        : parser.getParsingContext();
                boolean element = context != null && context.inArray() && !token.isStructEnd();
                if (token == JsonToken.FIELD_NAME || element) {
                    result.putIfAbsent(context.pathAsPointer(), parser.currentTokenLocation());
                }
            }
        } catch (IOException e) {
            // The binding already reported why the file cannot be read; what was indexed before that is still right.
        }
        return result;
    }
}
