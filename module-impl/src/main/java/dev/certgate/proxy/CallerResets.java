package dev.certgate.proxy;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Makes the container's close of a caller's HTTP/1 connection a TCP reset, and finds the caller's socket for
 * {@link CallerWatch}. After a back end's body broke off, a clean close would tell a caller whose answer is
 * delimited by the close (HTTP/1.0, {@code Connection: close}) that it has the whole body. The Servlet API has no
 * abortive close and no socket, so this reaches the socket by reflection:
 * <ul>
 *   <li>on Jetty 12 through its public interfaces ({@code ServletApiRequest.getRequest().getConnectionMetaData()
 *   .getConnection().getEndPoint().getTransport()}; Jetty hides its classes from web applications);</li>
 *   <li>on Tomcat 10.1 and 11 (NIO connector) through its request facade, the coyote request's processor and its
 *   socket wrapper ({@code RequestFacade.request.getCoyoteRequest().hook.socketWrapper.getSocket().getIOChannel()};
 *   these are fields, and the same in both versions).</li>
 * </ul>
 * On another container, or one whose objects are shaped otherwise, it does nothing and that container's close
 * stands.
 */
final class CallerResets {
    private static final String JETTY = "org.eclipse.jetty.";
    private static final String TOMCAT_FACADE = "org.apache.catalina.connector.RequestFacade";
    private static final int MAX_LAYERS = 4;

    private CallerResets() {
    }

    /**
     * The reflective way from a request class to its connection's end point, looked up once per request class
     * ({@link CallerWatch} takes it for every request that waits). Held here, in this web application's class, so
     * it goes with the application and pins none of its classes in Jetty's.
     */
    private record JettyPath(Class<?> requestClass, Method getRequest, Method getConnectionMetaData,
                             Method getConnection, Method getEndPoint, Class<?> endPoint, Method getTransport) {
        static JettyPath of(Class<?> requestClass) throws ReflectiveOperationException {
            ClassLoader jetty = requestClass.getClassLoader();
            Class<?> endPoint = Class.forName(JETTY + "io.EndPoint", false, jetty);
            return new JettyPath(requestClass, requestClass.getMethod("getRequest"),
                    Class.forName(JETTY + "server.Request", false, jetty).getMethod("getConnectionMetaData"),
                    Class.forName(JETTY + "server.ConnectionMetaData", false, jetty).getMethod("getConnection"),
                    Class.forName(JETTY + "io.Connection", false, jetty).getMethod("getEndPoint"),
                    endPoint, endPoint.getMethod("getTransport"));
        }
    }

    private static volatile JettyPath path;

    /**
     * The reflective way from Tomcat's request facade to the NIO connector's socket, and to the coyote response's
     * {@code CLOSE_NOW} action, looked up once per facade class.
     */
    private record TomcatPath(Class<?> facadeClass, Field request, Method getCoyoteRequest, Field hook,
                              Class<?> processor, Field socketWrapper, Method getSocket, Class<?> nioChannel,
                              Method getIOChannel, Method getResponse, Method action, Object closeNow) {
        static TomcatPath of(Class<?> facadeClass) throws ReflectiveOperationException {
            ClassLoader tomcat = facadeClass.getClassLoader();
            Field request = facadeClass.getDeclaredField("request");
            request.setAccessible(true);
            Class<?> coyoteRequest = Class.forName("org.apache.coyote.Request", false, tomcat);
            Field hook = coyoteRequest.getDeclaredField("hook");
            hook.setAccessible(true);
            Class<?> processor = Class.forName("org.apache.coyote.AbstractProcessor", false, tomcat);
            Field socketWrapper = processor.getDeclaredField("socketWrapper");
            socketWrapper.setAccessible(true);
            Class<?> nioChannel = Class.forName("org.apache.tomcat.util.net.NioChannel", false, tomcat);
            Class<?> actionCode = Class.forName("org.apache.coyote.ActionCode", false, tomcat);
            Class<?> coyoteResponse = Class.forName("org.apache.coyote.Response", false, tomcat);
            return new TomcatPath(facadeClass, request, request.getType().getMethod("getCoyoteRequest"), hook,
                    processor, socketWrapper,
                    Class.forName("org.apache.tomcat.util.net.SocketWrapperBase", false, tomcat).getMethod("getSocket"),
                    nioChannel, nioChannel.getMethod("getIOChannel"), coyoteRequest.getMethod("getResponse"),
                    coyoteResponse.getMethod("action", actionCode, Object.class),
                    actionCode.getField("CLOSE_NOW").get(null));
        }

        Object socket(Object facade) throws ReflectiveOperationException {
            Object processing = hook.get(coyoteRequest(facade));
            if (!processor.isInstance(processing)) {
                return null;
            }
            Object wrapper = socketWrapper.get(processing);
            Object channel = wrapper == null ? null : getSocket.invoke(wrapper);
            return nioChannel.isInstance(channel) ? getIOChannel.invoke(channel) : null; // NIO2: not watched
        }

        /** Tomcat's own way to break off a connection: it closes it, unfinished, once the request completes. */
        void closeNow(Object facade) throws ReflectiveOperationException {
            action.invoke(getResponse.invoke(coyoteRequest(facade)), closeNow, null);
        }

        private Object coyoteRequest(Object facade) throws ReflectiveOperationException {
            return getCoyoteRequest.invoke(request.get(facade));
        }
    }

    private static volatile TomcatPath tomcatPath;

    /** Sets SO_LINGER 0 on the caller's connection, so that its close resets it. */
    private static void resetOnClose(ServletRequest request) {
        if (socket(request) instanceof SocketChannel channel) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException e) {
                // the connection is gone already, or not a socket we may touch: its own close stands
            }
        }
    }

    /**
     * Resets the caller's HTTP/1 connection (SO_LINGER 0, then Jetty's end point closed at once, or Tomcat told to
     * close it when the request completes), without the servlet throwing for it: a container logs that as the
     * application's error. The caller completes the request then (or returns from the servlet). False where that is
     * not possible (another container, HTTP/2): the caller must then end the exchange by throwing from the servlet,
     * and the container's close stands.
     */
    static boolean abort(ServletRequest request) {
        ServletRequest inner = http1(request);
        if (inner == null) {
            return false;
        }
        resetOnClose(inner);
        try {
            if (isTomcat(inner)) {
                tomcatPath(inner).closeNow(inner);
                return true;
            }
            if (jettyEndPoint(inner, true) instanceof Closeable endPoint) {
                endPoint.close();
                return true;
            }
            return false;
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false; // a container whose objects are shaped otherwise: its own close stands
        }
    }

    /** The caller's socket under Jetty's end points or Tomcat's socket wrapper (HTTP/1 only), or null. */
    static Object socket(ServletRequest request) {
        ServletRequest inner = http1(request);
        if (inner == null) {
            return null;
        }
        try {
            return isTomcat(inner) ? tomcatPath(inner).socket(inner) : jettyEndPoint(inner, false);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null; // a container whose objects are shaped otherwise, or that forbids reflection
        }
    }

    /**
     * The request under its wrappers if it came over HTTP/1, else null: HTTP/2 resets the stream itself, and its
     * connection carries other requests.
     */
    private static ServletRequest http1(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        String protocol = inner.getProtocol();
        return protocol != null && protocol.startsWith("HTTP/1.") ? inner : null;
    }

    private static boolean isTomcat(ServletRequest inner) {
        return inner.getClass().getName().equals(TOMCAT_FACADE);
    }

    /**
     * Jetty's outermost end point of the caller's connection ({@code endPointOnly}), or the socket channel under it;
     * null on another container.
     */
    private static Object jettyEndPoint(ServletRequest inner, boolean endPointOnly)
            throws ReflectiveOperationException {
        if (!inner.getClass().getName().startsWith(JETTY)) {
            return null;
        }
        JettyPath jetty = path;
        if (jetty == null || jetty.requestClass() != inner.getClass()) {
            jetty = JettyPath.of(inner.getClass());
            path = jetty;
        }
        Object core = jetty.getRequest().invoke(inner);
        Object metaData = jetty.getConnectionMetaData().invoke(core);
        Object connection = jetty.getConnection().invoke(metaData);
        Object transport = jetty.getEndPoint().invoke(connection);
        if (endPointOnly) {
            return transport;
        }
        // Over TLS the end point's transport is the encrypted end point, whose transport is the socket.
        for (int layer = 0; layer < MAX_LAYERS && jetty.endPoint().isInstance(transport); layer++) {
            transport = jetty.getTransport().invoke(transport);
        }
        return transport;
    }

    private static TomcatPath tomcatPath(ServletRequest facade) throws ReflectiveOperationException {
        TomcatPath tomcat = tomcatPath;
        if (tomcat == null || tomcat.facadeClass() != facade.getClass()) {
            tomcat = TomcatPath.of(facade.getClass());
            tomcatPath = tomcat;
        }
        return tomcat;
    }
}
