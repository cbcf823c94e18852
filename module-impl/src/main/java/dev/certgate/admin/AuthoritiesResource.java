package dev.certgate.admin;

import dev.certgate.api.model.Entity;
import dev.certgate.config.Preconditions;
import dev.certgate.web.RuntimeLocator;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /admin/authorities}: CA certificates trusted for back ends (CONTRACT §5). */
@Path("authorities")
@Produces(MediaType.APPLICATION_JSON)
public class AuthoritiesResource {
    private final AuthorityLogic logic;

    public AuthoritiesResource(@Context ServletContext context) {
        this.logic = new AuthorityLogic(RuntimeLocator.from(context));
    }

    @GET
    public Response list() {
        return Responses.ok(logic.list());
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return Responses.entity(logic.get(id));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("id") String id, Entity<AuthorityUpload> body,
                        @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return Responses.written(logic.put(id, body, new Preconditions(ifMatch, ifNoneMatch)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        logic.delete(id, new Preconditions(ifMatch, ifNoneMatch));
        return Responses.deleted();
    }
}
