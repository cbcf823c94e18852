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
 * own objects by reflection (Jetty hides its classes from web applications); on another container it does
 * nothing and that container's close stands (Tomcat ends a chunked answer without its last chunk, but closes a
 * close-delimited one cleanly).
 */
final class CallerResets {
    private CallerResets() {
    }

    /**
     * Sets SO_LINGER 0 on the caller's connection, so that the container's close (after the servlet throws)
     * resets it; true when it did.
     */
    static boolean resetOnClose(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        if (inner.getProtocol() == null || !inner.getProtocol().startsWith("HTTP/1.")) {
            return false; // HTTP/2 resets the stream itself; its connection carries other requests
        }
        JettyPath jetty = JettyPath.of(inner.getClass());
        if (jetty == null) {
            return false;
        }
        try {
            Object transport = jetty.endPoint(inner);
            while (jetty.endPointType.isInstance(transport)) { // TLS: the encrypted end point under the plain one
                transport = jetty.transport.invoke(transport);
            }
            if (transport instanceof SocketChannel channel) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                return true;
            }
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            // a Jetty whose objects are shaped otherwise: its own close stands
        }
        return false;
    }

    /**
     * Jetty 12's way from its servlet request to the socket, through public interfaces only:
     * {@code ServletApiRequest.getRequest().getConnectionMetaData().getConnection().getEndPoint().getTransport()}.
     * Resolved once per request class.
     */
    private record JettyPath(Method coreRequest, Method metaData, Method connection, Method endPoint,
                             Method transport, Class<?> endPointType) {
        private static final ClassValue<JettyPath> PATHS = new ClassValue<>() {
            @Override
            protected JettyPath computeValue(Class<?> requestClass) {
                return resolve(requestClass);
            }
        };

        static JettyPath of(Class<?> requestClass) {
            return PATHS.get(requestClass);
        }

        private static JettyPath resolve(Class<?> requestClass) {
            if (!requestClass.getName().startsWith("org.eclipse.jetty.")) {
                return null;
            }
            try {
                ClassLoader loader = requestClass.getClassLoader();
                Class<?> request = Class.forName("org.eclipse.jetty.server.Request", false, loader);
                Class<?> metaData = Class.forName("org.eclipse.jetty.server.ConnectionMetaData", false, loader);
                Class<?> connection = Class.forName("org.eclipse.jetty.io.Connection", false, loader);
                Class<?> endPoint = Class.forName("org.eclipse.jetty.io.EndPoint", false, loader);
                return new JettyPath(requestClass.getMethod("getRequest"), request.getMethod("getConnectionMetaData"),
                        metaData.getMethod("getConnection"), connection.getMethod("getEndPoint"),
                        endPoint.getMethod("getTransport"), endPoint);
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }

        Object endPoint(ServletRequest servletRequest) throws ReflectiveOperationException {
            Object core = coreRequest.invoke(servletRequest);
            Object connectionMetaData = metaData.invoke(core);
            return endPoint.invoke(connection.invoke(connectionMetaData));
        }
    }
}
