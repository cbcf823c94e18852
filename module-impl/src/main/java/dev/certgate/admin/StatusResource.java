package dev.certgate.admin;

import dev.certgate.web.RuntimeLocator;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /admin/status} (CONTRACT §5). */
@Path("status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    private final StatusLogic logic;

    public StatusResource(@Context ServletContext context) {
        this.logic = new StatusLogic(RuntimeLocator.from(context));
    }

    @GET
    public Response status() {
        return Responses.ok(logic.status());
    }
}
