package dev.certgate.it.tomcat;

import dev.certgate.testsupport.TestPki;
import org.eclipse.jetty.http.HttpHeader;
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

import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * A back end on a free loopback port that requires a client certificate issued by {@code clientCa}
 * ({@code needClientAuth}) and answers every request with the caller's subject and the path it asked for.
 */
final class MtlsHelloBackend implements AutoCloseable {
    private final Server server;
    private final int port;

    private MtlsHelloBackend(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    static MtlsHelloBackend start(TestPki.Issued serverCertificate, TestPki.Issued clientCa) throws Exception {
        String password = "backend-store";
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("client-ca", clientCa.certificate());
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(serverCertificate.keyStore(password));
        tls.setKeyStorePassword(password);
        tls.setTrustStore(trusted);
        tls.setNeedClientAuth(true);

        Server server = new Server();
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                EndPoint.SslSessionData session = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
                X509Certificate caller = session.peerCertificates()[0];
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                Content.Sink.write(response, true, "hello " + caller.getSubjectX500Principal().getName()
                        + " at " + request.getHttpURI().getPathQuery(), callback);
                return true;
            }
        });
        server.start();
        return new MtlsHelloBackend(server, connector.getLocalPort());
    }

    /** {@code https://localhost:<port>}: the name the server certificate carries. */
    String url() {
        return "https://localhost:" + port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
