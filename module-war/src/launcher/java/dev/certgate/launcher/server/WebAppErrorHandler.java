package dev.certgate.launcher.server;

import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The web application's error handler. Errors inside its servlets go to the WAR's error page as web.xml
 * says, for every method (Jetty's default serves error pages to GET, POST and HEAD only). The errors Jetty
 * raises before any servlet runs, the security constraint's 401 and 403 above all, never reach an error
 * page on Jetty 12.1: they get {@link JsonErrors}' JSON here instead of Jetty's HTML page.
 */
final class WebAppErrorHandler extends ErrorPageErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        JsonErrors.assignRequestId(request, response);
        if (!generateAcceptableResponse(request, response, callback, "application/json",
                List.of(StandardCharsets.UTF_8), code, message, cause)) {
            callback.succeeded();
        }
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write(JsonErrors.body(request, code, cause));
    }
}
