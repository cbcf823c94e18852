package dev.certgate.admin;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Limits every admin request body (uploads included) while it is read: a declared Content-Length over the
 * limit is refused before reading, a longer chunked body as soon as the limit is passed (413 either way).
 * The limit is the context init-param {@value #INIT_PARAM}, 1 MiB by default.
 */
@Provider
@PreMatching
public final class RequestSizeLimit implements ContainerRequestFilter {
    public static final String INIT_PARAM = "certgate.admin.maxBodyBytes";
    public static final long DEFAULT_LIMIT = 1024 * 1024;

    @Context
    private ServletContext servletContext;

    @Override
    public void filter(ContainerRequestContext request) {
        long limit = limit();
        if (request.getLength() > limit) {
            throw new CertgateException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body is larger than the limit of " + limit + " bytes");
        }
        request.setEntityStream(new LimitedInputStream(request.getEntityStream(), limit));
    }

    private long limit() {
        String configured = servletContext == null ? null : servletContext.getInitParameter(INIT_PARAM);
        return configured == null || configured.isBlank() ? DEFAULT_LIMIT : Long.parseLong(configured.trim());
    }
}
