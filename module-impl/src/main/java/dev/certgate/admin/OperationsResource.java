package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.Ids;
import dev.certgate.api.model.Entity;
import dev.certgate.api.model.OperationProperties;
import dev.certgate.config.Preconditions;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /admin/apis/{apiId}/operations}: one API's operations and their policies (a sub-resource). */
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {
    private final CertgateRuntime runtime;
    private final OperationLogic logic;
    private final String apiId;

    OperationsResource(CertgateRuntime runtime, String apiId) {
        this.runtime = runtime;
        this.logic = new OperationLogic(runtime);
        this.apiId = Ids.require("api", apiId);
    }

    @GET
    public Response list() {
        return Responses.ok(logic.list(apiId));
    }

    @GET
    @Path("{opId}")
    public Response get(@PathParam("opId") String opId) {
        return Responses.entity(logic.get(apiId, opId));
    }

    @PUT
    @Path("{opId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("opId") String opId, Entity<OperationProperties> body,
                        @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return Responses.written(logic.put(apiId, opId, body, new Preconditions(ifMatch, ifNoneMatch)));
    }

    @DELETE
    @Path("{opId}")
    public Response delete(@PathParam("opId") String opId, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return Responses.deleted(logic.delete(apiId, opId, new Preconditions(ifMatch, ifNoneMatch)));
    }

    @Path("{opId}/policies/policy")
    public PolicyResource policy(@PathParam("opId") String opId) {
        return new PolicyResource(new PolicyLogic(runtime), PolicyLogic.Scope.operation(apiId, opId));
    }
}
