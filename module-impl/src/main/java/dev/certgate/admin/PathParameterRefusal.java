package dev.certgate.admin;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

import java.util.List;

/**
 * Refuses an admin request whose raw path has a {@code ;} before it is matched: containers and Jersey drop
 * a path parameter from the segment, so {@code PUT /admin/backends/q;y} would otherwise write backend
 * {@code q}, an id the caller never sent. No id may hold a {@code ;} anyway (CONTRACT §2).
 */
@Provider
@PreMatching
public final class PathParameterRefusal implements ContainerRequestFilter {
    private static final int MAX_SHOWN = 100;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        if (path == null || path.indexOf(';') < 0) {
            return;
        }
        for (String segment : path.split("/")) {
            if (segment.indexOf(';') >= 0) {
                String shown = segment.length() > MAX_SHOWN ? segment.substring(0, MAX_SHOWN) + "..." : segment;
                throw new CertgateException(ErrorCode.VALIDATION_ERROR, "The path segment '" + shown
                        + "' has a ';'. Path parameters are not supported, and ids hold only letters, digits, "
                        + "'.', '_' and '-'", List.of(new ErrorDetail("InvalidPath", shown,
                        "a ';' is not allowed in an admin path")));
            }
        }
    }
}
