package dev.certgate.launcher.server;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Hands a request that reached a back-end I/O thread ({@link GatewayThreadPool}) to the pool unless it is proxied.
 * Proxied requests never wait there on the non-blocking path: they start their exchange and return. An admin request
 * blocks (it reads its body, writes the home), and meanwhile every back-end exchange of that thread would stall.
 */
final class OffBackendThreads extends Handler.Wrapper {
    private static final String ADMIN = "/admin";

    OffBackendThreads(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (BackendIoThreads.isCurrent() && !proxied(request)) {
            request.getContext().execute(() -> handleOnPool(request, response, callback));
            return true;
        }
        return super.handle(request, response, callback);
    }

    private void handleOnPool(Request request, Response response, Callback callback) {
        try {
            if (!super.handle(request, response, callback)) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable failure) {
            Response.writeError(request, response, callback, failure);
        }
    }

    /** Decoded and normalised, as the web application maps it: "/%61dmin" is an admin path too. */
    private static boolean proxied(Request request) {
        String path = request.getHttpURI().getCanonicalPath();
        return path != null && !path.startsWith(ADMIN);
    }
}
