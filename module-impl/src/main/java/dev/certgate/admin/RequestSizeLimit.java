package dev.certgate.admin;

import dev.certgate.CertgateRuntime;
import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.web.RuntimeLocator;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Limits every admin request body (uploads included) while it is read: a declared Content-Length over the
 * limit is refused before reading, a longer chunked body as soon as the limit is passed (413 either way), and a
 * body that comes too slowly for the body deadline at its first read past it (408). The limit is the runtime's
 * setting {@code certgate.admin.maxBodyBytes} (1 MiB by default), the deadline {@code certgate.requestBodyTimeout}
 * and {@code certgate.requestBodyMinRate} (30 s, then 1,024 bytes/s), read once at start.
 * A body the container fails to deliver to its end is reported as the caller's ({@link BodyReadFailures}).
 */
@Provider
@PreMatching
public final class RequestSizeLimit implements ContainerRequestFilter {
    @Context
    private ServletContext servletContext;

    @Override
    public void filter(ContainerRequestContext request) {
        CertgateRuntime runtime = RuntimeLocator.from(servletContext);
        long limit = runtime.adminMaxBodyBytes();
        if (request.getLength() > limit) {
            throw new CertgateException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body is larger than the limit of " + limit + " bytes");
        }
        request.setEntityStream(new LimitedInputStream(new BodyReadFailures(request.getEntityStream()), limit,
                runtime.bodyDeadline(), System::currentTimeMillis));
    }
}
