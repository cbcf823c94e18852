package dev.certgate.launcher.server.demo;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * The demo's back end: HTTPS on a free loopback port that refuses any caller without a client
 * certificate issued by the demo CA ({@code needClientAuth}), and answers {@code GET /hello} with a
 * greeting that names the caller's certificate.
 */
final class DemoBackend implements AutoCloseable {
    static final String HOST = "localhost";
    static final String PATH = "/hello";

    private final Server server;
    private final int port;

    private DemoBackend(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    static DemoBackend start(KeyStore serverKeyStore, String keyStorePassword, KeyStore trustedClientIssuers)
            throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(serverKeyStore);
        tls.setKeyStorePassword(keyStorePassword);
        tls.setTrustStore(trustedClientIssuers);
        tls.setNeedClientAuth(true);

        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("demo-backend");
        Server server = new Server(threads);
        HttpConfiguration https = new HttpConfiguration();
        https.setSendServerVersion(false);
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new HelloHandler());
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new DemoBackend(server, connector.getLocalPort());
    }

    /** {@code https://localhost:<port>}: a host name, so the gateway sends SNI and checks the name. */
    String baseUrl() {
        return "https://" + HOST + ":" + port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class HelloHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!PATH.equals(Request.getPathInContext(request))) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                return true;
            }
            EndPoint.SslSessionData tls = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
            X509Certificate caller = tls.peerCertificates()[0];
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            Content.Sink.write(response, true, "Hello from the Certgate demo back end, "
                    + caller.getSubjectX500Principal().getName() + "!\n", callback);
            return true;
        }
    }
}
