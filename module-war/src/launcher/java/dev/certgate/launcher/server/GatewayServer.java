package dev.certgate.launcher.server;

import dev.certgate.launcher.LauncherOptions;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ClassMatcher;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded Jetty 12 (ee10) that serves the WAR file itself at context {@code /}, with the launcher's
 * realm for the admin user and the home passed as the context init-param {@code certgate.home}, and JSON
 * error bodies for what Jetty answers by itself ({@link JsonErrors}). Stopping
 * is graceful: the connector stops accepting, requests in flight get up to {@link #STOP_TIMEOUT_MILLIS} to
 * finish, then the web application is destroyed (which closes Certgate's runtime and its pools). No
 * annotation scanning: the WAR's web.xml declares everything (metadata-complete).
 */
final class GatewayServer implements AutoCloseable {
    static final String HOME_PARAMETER = "certgate.home";
    static final String REALM = "certgate";
    static final long STOP_TIMEOUT_MILLIS = 10_000;
    /**
     * The listen backlog asked for: the kernel cuts it to its own limit ({@code net.core.somaxconn}, 4096 on Linux
     * since 5.4). Jetty's default leaves the JDK's 50, and the kernel drops the handshakes of a burst of callers past
     * the 51st waiting to be accepted: they wait for their retry (a second, then three) or are reset.
     */
    private static final int ACCEPT_QUEUE = 65_535;

    private final Server server;
    private final URI localUri;

    private GatewayServer(Server server, URI localUri) {
        this.server = server;
        this.localUri = localUri;
    }

    static GatewayServer start(Path war, Path temporaryDirectory, LauncherOptions options, AdminCredentials admin)
            throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(options.threads());
        threads.setName("certgate");
        // Jetty's own reserved-thread policy stays: on Jetty 12.1 it serves 18-20 % more requests per second in the
        // side-by-side benchmark than no reserved threads (4 paired runs each path). No reserved threads paid off
        // on Jetty 12.0 only.
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false); // no version banner for scanners
        // Writes up to the whole response buffer are gathered, not just up to a quarter of it (Jetty's default): an
        // answer that fits the buffer then leaves in one write with its head, however the back end cut it up.
        http.setOutputAggregationSize(http.getOutputBufferSize());
        // No header cache per connection: Jetty builds one at a connection's second request, a trie of 1,024 rows that
        // holds 100 KiB of heap as long as the connection lives (100 MB for the benchmark's 1,000 kept-alive callers),
        // and saves only a few small objects per request for the header fields that repeat on a connection.
        http.setHeaderCacheSize(0);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(options.bind());
        connector.setPort(options.port());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        Duration headTimeout = Duration.ofSeconds(options.requestHeadTimeoutSeconds());
        connector.addBean(new RequestHeadDeadline(connector, headTimeout)); // started and stopped with the connector
        server.addConnector(connector);

        // No session handler: nothing in Certgate uses HTTP sessions (BASIC auth is stateless), and every
        // proxied request would otherwise pass through session lookup and its cookie parsing.
        WebAppContext webapp = new WebAppContext("/", null, null, null, new WebAppErrorHandler(),
                ServletContextHandler.SECURITY);
        webapp.setWar(war.toString());
        webapp.setTempDirectory(temporaryDirectory.toFile());
        webapp.setInitParameter(HOME_PARAMETER, options.home().toString());
        // The application logs through the launcher's SLF4J and Jetty's logger: one console format, and no
        // error from its own SLF4J finding Jetty's provider (hidden from web applications) by ServiceLoader.
        webapp.addProtectedClassMatcher(new ClassMatcher("org.slf4j."));
        webapp.setThrowUnavailableOnStartupException(true); // a web application that fails to start fails the launch
        webapp.getSecurityHandler().setLoginService(admin.loginService(REALM));
        webapp.getSecurityHandler().setAuthenticator(new AdminAuthenticator(new LoginThrottle()));

        server.setHandler(new GracefulHandler(webapp));
        server.setErrorHandler(new JsonErrorHandler()); // errors of requests that never reach the web application
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new GatewayServer(server, localUri(options.bind(), connector.getLocalPort()));
    }

    /** {@code http://host:port/} as a client on this machine reaches it (loopback for a wildcard bind). */
    URI localUri() {
        return localUri;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static URI localUri(String bind, int port) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(bind);
        String host = address.isAnyLocalAddress() ? "127.0.0.1" : bind;
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port + "/");
    }
}
