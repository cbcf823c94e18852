package dev.certgate.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON configuration for files and the admin API alike, so both read and write the same shapes. */
public final class Json {
    /**
     * Properties the model records do not name are not dropped: the entity records collect them into their
     * {@code unused} maps and write them back ({@link ModelMixIns}), where {@link UnusedProperties} tells APIM's
     * from misspelt ones. Elsewhere (top-level {@code id}, {@code name}, {@code type} of APIOps and ARM) they are
     * ignored. A property given twice is an error, not the last one winning: a merge that kept both sides'
     * lines must not decide silently what is served.
     */
    public static final ObjectMapper MAPPER = ModelMixIns.register(JsonMapper.builder())
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }
}
