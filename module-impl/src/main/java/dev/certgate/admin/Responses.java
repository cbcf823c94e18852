package dev.certgate.admin;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The few response shapes of CONTRACT §5: entities with their ETag, 201 versus 200 for PUT, 200 for DELETE. */
final class Responses {
    private Responses() {
    }

    static Response ok(Object body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Response entity(Versioned<?> answer) {
        return entity(answer, MediaType.APPLICATION_JSON_TYPE);
    }

    static Response entity(Versioned<?> answer, MediaType type) {
        return withEtag(Response.ok(answer.body(), type), answer.etag());
    }

    static Response written(Versioned<?> answer) {
        return written(answer, MediaType.APPLICATION_JSON_TYPE);
    }

    static Response written(Versioned<?> answer, MediaType type) {
        Response.Status status = answer.created() ? Response.Status.CREATED : Response.Status.OK;
        return withEtag(Response.status(status).type(type).entity(answer.body()), answer.etag());
    }

    static Response deleted() {
        return Response.ok().build();
    }

    private static Response withEtag(Response.ResponseBuilder builder, String etag) {
        // etagOf already answers the quoted form, so it is set as is rather than re-quoted by EntityTag.
        return (etag == null ? builder : builder.header(HttpHeaders.ETAG, etag)).build();
    }
}
