package dev.certgate.launcher.server.demo;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * {@code --demo} (CONTRACT §7): a back end that requires a client certificate, the certificates for it,
 * and a Certgate API {@code demo} that presents the client certificate — configured through the admin
 * API, so its files land in the home like any other configuration — and the {@code curl} commands that
 * show the difference.
 */
public final class Demo implements AutoCloseable {
    public static final String API_ID = "demo";
    public static final String API_PATH = "demo";
    public static final String BACKEND_ID = "demo";
    public static final String CERTIFICATE_ID = "demo-client";
    public static final String AUTHORITY_ID = "demo-ca";

    private static final String POLICY = """
            <policies>
                <inbound>
                    <base />
                    <set-backend-service backend-id="%s" />
                    <authentication-certificate certificate-id="%s" />
                </inbound>
                <backend>
                    <base />
                </backend>
                <outbound>
                    <base />
                </outbound>
                <on-error>
                    <base />
                </on-error>
            </policies>
            """.formatted(BACKEND_ID, CERTIFICATE_ID);

    private final DemoPki pki;
    private final DemoBackend backend;

    private Demo(DemoPki pki, DemoBackend backend) {
        this.pki = pki;
        this.backend = backend;
    }

    /** Makes the certificates and starts the back end; the gateway is configured later by {@link #configure}. */
    public static Demo startBackend() throws Exception {
        DemoPki pki = DemoPki.generate();
        String storePassword = randomPassword();
        DemoBackend backend = DemoBackend.start(pki.server().keyStore(storePassword.toCharArray()), storePassword,
                pki.caTrustStore());
        return new Demo(pki, backend);
    }

    /**
     * Uploads the CA as an authority and the client certificate as a PFX, then creates the backend, the API
     * and its policy. The JSON is written by hand: every value in it is base64, a URL or a fixed word.
     */
    public void configure(URI gateway, String authorization) throws Exception {
        DemoAdminClient admin = new DemoAdminClient(gateway, authorization);
        Base64.Encoder base64 = Base64.getEncoder();
        String pfxPassword = randomPassword();

        admin.putJson("authorities/" + AUTHORITY_ID, """
                {"properties": {"data": "%s"}}"""
                .formatted(base64.encodeToString(pki.caPem().getBytes(StandardCharsets.US_ASCII))));
        admin.putJson("certificates/" + CERTIFICATE_ID, """
                {"properties": {"data": "%s", "password": "%s"}}"""
                .formatted(base64.encodeToString(pki.client().pfx(pfxPassword.toCharArray())), pfxPassword));
        admin.putJson("backends/" + BACKEND_ID, """
                {"properties": {"url": "%s", "protocol": "http", "description": "Certgate demo back end: requires a client certificate issued by the demo CA",
                 "tls": {"validateCertificateChain": true, "validateCertificateName": true}}}"""
                .formatted(backend.baseUrl()));
        admin.putJson("apis/" + API_ID, """
                {"properties": {"displayName": "Certgate demo", "path": "%s", "serviceUrl": "%s", "protocols": ["http"]}}"""
                .formatted(API_PATH, backend.baseUrl()));
        admin.putPolicyXml("apis/" + API_ID + "/policies/policy", POLICY);
    }

    /** The two {@code curl} calls: through Certgate (works) and straight to the back end (refused). */
    public void printInstructions(PrintStream out, URI gateway, Path home) {
        Path authorityPem = home.resolve("config").resolve("authorities").resolve(AUTHORITY_ID).resolve("authority.pem");
        out.println();
        out.println("Demo: a back end on " + backend.baseUrl() + " that requires a client certificate, and the API '"
                + API_ID + "' that presents '" + CERTIFICATE_ID + "' to it (configuration in " + home.resolve("config") + ").");
        out.println("Call it through Certgate, which presents the client certificate:");
        out.println("  curl " + gateway.resolve(API_PATH + DemoBackend.PATH));
        out.println("Call it directly, without a client certificate, and the back end refuses the TLS handshake:");
        out.println("  curl --cacert " + authorityPem + " " + backend.baseUrl() + DemoBackend.PATH);
        out.println();
    }

    @Override
    public void close() throws Exception {
        backend.close();
    }

    private static String randomPassword() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
