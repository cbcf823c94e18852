package dev.certgate.config;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The APIM/APIOps file shape {@code {"properties": {...}}}: read into a model record (a malformed file or a
 * value of the wrong type becomes a {@link ConfigError} at Jackson's line and column), and written.
 */
public final class JsonEnvelope {
    /**
     * The file shape; other top-level fields (id, name, type of APIOps extracts) are collected in {@code others},
     * which are looked at only when {@code properties} is missing, for a misspelt one.
     */
    record Envelope<P>(P properties, @JsonAnySetter Map<String, Object> others) {
        Envelope {
            others = others == null ? Map.of() : others;
        }
    }

    private static final String SHAPE = "the file must have the shape {\"properties\": {...}}";

    /** Jackson's "[Source: REDACTED (...); line: 2, column: 17]" reads better as "[line: 2, column: 17]". */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;]*; ");

    private JsonEnvelope() {
    }

    /** {@code {"properties": properties}}, as every configuration file is written. */
    public static byte[] write(Object properties) {
        try {
            return Json.MAPPER.writeValueAsBytes(Map.of("properties", properties));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + properties.getClass().getSimpleName(), e);
        }
    }

    /** The properties, or null after adding the reason to {@code errors}. */
    static <P> P read(byte[] json, Class<P> type, String file, List<ConfigError> errors) {
        JavaType envelopeType = Json.MAPPER.getTypeFactory().constructParametricType(Envelope.class, type);
        ObjectReader reader = Json.MAPPER.readerFor(envelopeType)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try {
            Envelope<P> envelope = reader.readValue(json);
            if (envelope == null || envelope.properties() == null) {
                errors.add(missingProperties(json, file, envelope));
                return null;
            }
            return envelope.properties();
        } catch (JsonProcessingException e) {
            errors.add(toError(file, e));
            return null;
        } catch (IOException e) {
            errors.add(ConfigError.of(file, "cannot read: " + e.getMessage()));
            return null;
        }
    }

    /** The error for a file without properties: at a top-level property nobody defines, which may be it misspelt. */
    private static ConfigError missingProperties(byte[] json, String file, Envelope<?> envelope) {
        List<UnusedProperties.Finding> unknown = envelope == null ? List.of()
                : UnusedProperties.ofFileTopLevel(envelope.others()).stream()
                        .filter(f -> f.verdict() == UnusedProperties.Verdict.UNKNOWN)
                        .toList();
        if (unknown.isEmpty()) {
            return ConfigError.of(file, "missing \"properties\": " + SHAPE);
        }
        UnusedProperties.Finding first = unknown.get(0);
        return new JsonPositions(json).error(file, "missing \"properties\", and the top level has unknown property '"
                + first.name() + "': " + first.reason() + " (" + SHAPE + ")", first.path().toArray());
    }

    private static ConfigError toError(String file, JsonProcessingException e) {
        // Databind wraps syntax errors met while binding; the syntax error is what the person must fix.
        JsonProcessingException syntax = syntaxError(e);
        JsonProcessingException reported = syntax != null ? syntax : e;
        JsonLocation location = reported.getLocation();
        Integer line = location != null && location.getLineNr() > 0 ? location.getLineNr() : null;
        Integer column = location != null && location.getColumnNr() > 0 ? location.getColumnNr() : null;
        String reason = SOURCE.matcher(reported.getOriginalMessage()).replaceAll("[");
        if (syntax == null && e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return new ConfigError(file, line, column, "invalid value at " + path(mapping.getPath()) + ": "
                    + JsonExpectations.of(mapping).orElse(reason));
        }
        return new ConfigError(file, line, column, "invalid JSON: " + reason);
    }

    private static JsonProcessingException syntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException read) {
                return read;
            }
        }
        return null;
    }

    /** {@code properties.credentials.certificateIds[0]}, the way a person reads the file. */
    private static String path(List<JsonMappingException.Reference> references) {
        return references.stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
    }
}
