package dev.certgate.admin;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The few response shapes of CONTRACT §5: entities with their ETag, 201 versus 200 for PUT, 200 for DELETE; and a
 * {@code Warning} header (RFC 7234 form, code 299, as Kubernetes gives API warnings) when what the files say does not
 * serve, or an upload is accepted with a reservation.
 */
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
        return withEtag(withWarning(Response.ok(answer.body(), type), answer.warning()), answer.etag());
    }

    static Response written(Versioned<?> answer) {
        return written(answer, MediaType.APPLICATION_JSON_TYPE);
    }

    static Response written(Versioned<?> answer, MediaType type) {
        Response.Status status = answer.created() ? Response.Status.CREATED : Response.Status.OK;
        return withEtag(withWarning(Response.status(status).type(type).entity(answer.body()), answer.warning()),
                answer.etag());
    }

    static Response deleted() {
        return deleted(null);
    }

    /** 200 for a DELETE, with the warning (or null) that what the files now say does not serve. */
    static Response deleted(String warning) {
        return withWarning(Response.ok(), warning).build();
    }

    private static Response.ResponseBuilder withWarning(Response.ResponseBuilder builder, String warning) {
        return warning == null ? builder : builder.header("Warning", "299 - " + quoted(warning));
    }

    /** An HTTP quoted-string of printable ASCII: file content in an error message must not break the header. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
        }
        return out.append('"').toString();
    }

    private static Response withEtag(Response.ResponseBuilder builder, String etag) {
        // etagOf already answers the quoted form, so it is set as is rather than re-quoted by EntityTag.
        return (etag == null ? builder : builder.header(HttpHeaders.ETAG, etag)).build();
    }
}
