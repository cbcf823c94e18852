package dev.certgate.proxy;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Makes the container's close of a caller's HTTP/1 connection a TCP reset. After a back end's body broke off,
 * a clean close would tell a caller whose answer is delimited by the close (HTTP/1.0, {@code Connection: close})
 * that it has the whole body. The Servlet API has no abortive close, so this reaches the socket through Jetty 12's
 * public interfaces by reflection ({@code ServletApiRequest.getRequest().getConnectionMetaData().getConnection()
 * .getEndPoint().getTransport()}; Jetty hides its classes from web applications); on another container it does
 * nothing and that container's close stands (Tomcat ends a chunked answer without its last chunk, but closes a
 * close-delimited one cleanly).
 */
final class CallerResets {
    private static final String JETTY = "org.eclipse.jetty.";
    private static final int MAX_LAYERS = 4;

    private CallerResets() {
    }

    /**
     * Sets SO_LINGER 0 on the caller's connection, so that the container's close (after the servlet throws)
     * resets it. Only on this failure path, so the reflection is looked up each time rather than cached (a cache
     * in Jetty's classes would hold on to this web application's class loader).
     */
    static void resetOnClose(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        String protocol = inner.getProtocol();
        if (protocol == null || !protocol.startsWith("HTTP/1.") || !inner.getClass().getName().startsWith(JETTY)) {
            return; // HTTP/2 resets the stream itself, and its connection carries other requests
        }
        try {
            ClassLoader jetty = inner.getClass().getClassLoader();
            Class<?> endPoint = Class.forName(JETTY + "io.EndPoint", false, jetty);
            Object core = inner.getClass().getMethod("getRequest").invoke(inner);
            Object metaData = Class.forName(JETTY + "server.Request", false, jetty)
                    .getMethod("getConnectionMetaData").invoke(core);
            Object connection = Class.forName(JETTY + "server.ConnectionMetaData", false, jetty)
                    .getMethod("getConnection").invoke(metaData);
            Object transport = Class.forName(JETTY + "io.Connection", false, jetty)
                    .getMethod("getEndPoint").invoke(connection);
            Method transportOf = endPoint.getMethod("getTransport");
            // Over TLS the end point's transport is the encrypted end point, whose transport is the socket.
            for (int layer = 0; layer < MAX_LAYERS && endPoint.isInstance(transport); layer++) {
                transport = transportOf.invoke(transport);
            }
            if (transport instanceof SocketChannel channel) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
            // a Jetty whose objects are shaped otherwise: its own close stands
        }
    }
}
