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
        return withEtag(Response.ok(answer.body(), MediaType.APPLICATION_JSON_TYPE), answer.etag());
    }

    static Response written(Versioned<?> answer) {
        Response.Status status = answer.created() ? Response.Status.CREATED : Response.Status.OK;
        return withEtag(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(answer.body()),
                answer.etag());
    }

    static Response deleted() {
        return Response.ok().build();
    }

    static Response withEtag(Response.ResponseBuilder builder, String etag) {
        // etagOf already answers the quoted form, so it is set as is rather than re-quoted by EntityTag.
        return (etag == null ? builder : builder.header(HttpHeaders.ETAG, etag)).build();
    }
}
