package dev.certgate.admin;

import dev.certgate.config.Json;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/** Gives Jersey's Jackson provider the one {@link Json#MAPPER}, so the API and the files share their JSON shapes. */
@Provider
public final class JsonMapperResolver implements ContextResolver<ObjectMapper> {
    @Override
    public ObjectMapper getContext(Class<?> type) {
        return Json.MAPPER;
    }
}
