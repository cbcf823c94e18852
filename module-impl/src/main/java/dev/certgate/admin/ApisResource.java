package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.model.ApiProperties;
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

/** {@code /admin/apis}: APIs, and the way to their operations and API-scope policy (CONTRACT §5). */
@Path("apis")
@Produces(MediaType.APPLICATION_JSON)
public class ApisResource {
    private final CertgateRuntime runtime;
    private final ApiLogic logic;

    public ApisResource(@Context ServletContext context) {
        this.runtime = RuntimeLocator.from(context);
        this.logic = new ApiLogic(runtime);
    }

    @GET
    public Response list() {
        return Responses.ok(logic.list());
    }

    @GET
    @Path("{apiId}")
    public Response get(@PathParam("apiId") String apiId) {
        return Responses.entity(logic.get(apiId));
    }

    @PUT
    @Path("{apiId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("apiId") String apiId, Entity<ApiProperties> body,
                        @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return Responses.written(logic.put(apiId, body, new Preconditions(ifMatch, ifNoneMatch)));
    }

    @DELETE
    @Path("{apiId}")
    public Response delete(@PathParam("apiId") String apiId, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        logic.delete(apiId, new Preconditions(ifMatch, ifNoneMatch));
        return Responses.deleted();
    }

    @Path("{apiId}/policies/policy")
    public PolicyResource policy(@PathParam("apiId") String apiId) {
        return new PolicyResource(new PolicyLogic(runtime), PolicyLogic.Scope.api(apiId));
    }

    @Path("{apiId}/operations")
    public OperationsResource operations(@PathParam("apiId") String apiId) {
        return new OperationsResource(runtime, apiId);
    }
}
