package dev.certgate.admin;

import dev.certgate.metrics.GatewayMetrics;
import dev.certgate.web.RuntimeLocator;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * {@code GET /admin/metrics}: the Prometheus scrape, in the text format 0.0.4 or, when the scraper's {@code Accept}
 * asks for it, OpenMetrics 1.0. No {@code @Produces}: a scraper is answered whatever else it lists.
 */
@Path("metrics")
public class MetricsResource {
    private final GatewayMetrics metrics;

    public MetricsResource(@Context ServletContext context) {
        this.metrics = RuntimeLocator.from(context).metrics();
    }

    @GET
    public Response scrape(@HeaderParam(HttpHeaders.ACCEPT) String accept) {
        String type = GatewayMetrics.contentType(accept);
        StreamingOutput body = out -> metrics.scrape(type, out);
        return Response.ok(body).header(HttpHeaders.CONTENT_TYPE, type).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
