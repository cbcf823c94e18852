package dev.certgate.admin;

import dev.certgate.api.model.Entity;
import dev.certgate.config.Preconditions;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code …/policies/policy} of one scope (a sub-resource: the global, API and operation paths all lead here).
 * JSON ({@code format: rawxml}) or raw XML in both directions, chosen by Content-Type and Accept.
 */
@Produces({MediaType.APPLICATION_JSON, AdminMediaTypes.POLICY_RAW_XML, MediaType.APPLICATION_XML})
public class PolicyResource {
    private final PolicyLogic logic;
    private final PolicyLogic.Scope scope;

    PolicyResource(PolicyLogic logic, PolicyLogic.Scope scope) {
        this.logic = logic;
        this.scope = scope;
    }

    @GET
    public Response get(@Context HttpHeaders headers) {
        return respond(logic.get(scope), headers, false);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(Entity<PolicyContent> body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                        @Context HttpHeaders headers) {
        return respond(logic.put(scope, body, new Preconditions(ifMatch, ifNoneMatch)), headers, true);
    }

    @PUT
    @Consumes({AdminMediaTypes.POLICY_RAW_XML, MediaType.APPLICATION_XML})
    public Response putXml(String xml, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                           @Context HttpHeaders headers) {
        return respond(logic.put(scope, xml, new Preconditions(ifMatch, ifNoneMatch)), headers, true);
    }

    @DELETE
    public Response delete(@HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
                           @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return Responses.deleted(logic.delete(scope, new Preconditions(ifMatch, ifNoneMatch)));
    }

    private Response respond(Versioned<String> policy, HttpHeaders headers, boolean write) {
        MediaType xml = AdminMediaTypes.preferredXml(headers.getAcceptableMediaTypes());
        Versioned<Object> answer = new Versioned<>(xml != null ? policy.body()
                : Entity.of(scope.collection(), "policy", PolicyContent.rawXml(policy.body())),
                policy.etag(), policy.created(), policy.warning());
        MediaType type = xml != null ? xml : MediaType.APPLICATION_JSON_TYPE;
        return write ? Responses.written(answer, type) : Responses.entity(answer, type);
    }
}
