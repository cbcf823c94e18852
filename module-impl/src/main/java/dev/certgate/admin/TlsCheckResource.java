package dev.certgate.admin;

import dev.certgate.web.RuntimeLocator;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /admin/tls-check}: a TLS dry run against any https url. The body is read whatever its Content-Type,
 * as curl's {@code -d} sends form-encoded by default. A backend's own is {@code POST /admin/backends/{id}/tls-check}.
 */
@Path("tls-check")
@Produces(MediaType.APPLICATION_JSON)
public class TlsCheckResource {
    private final TlsCheckLogic logic;

    public TlsCheckResource(@Context ServletContext context) {
        this.logic = new TlsCheckLogic(RuntimeLocator.from(context));
    }

    @POST
    public Response check(byte[] body) {
        return Responses.ok(logic.any(body));
    }
}
