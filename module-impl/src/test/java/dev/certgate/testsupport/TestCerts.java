package dev.certgate.testsupport;

/** EC certificates (fast to make) shared by the proxy tests: a CA for servers, a CA for clients. */
public final class TestCerts {
    public static final TestPki.Issued SERVER_CA = TestPki.selfSigned(TestPki.spec().subject("CN=Certgate Test Server CA").ca().ec());
    public static final TestPki.Issued CLIENT_CA = TestPki.selfSigned(TestPki.spec().subject("CN=Certgate Test Client CA").ca().ec());

    private TestCerts() {
    }

    /** A server certificate for localhost and 127.0.0.1 from {@link #SERVER_CA}. */
    public static TestPki.Issued server() {
        return server(SERVER_CA);
    }

    public static TestPki.Issued server(TestPki.Issued ca) {
        return TestPki.issue(ca, TestPki.spec().subject("CN=localhost").dns("localhost").ip("127.0.0.1").serverAuth().ec());
    }

    /** A client certificate from {@link #CLIENT_CA}. */
    public static TestPki.Issued client(String commonName) {
        return TestPki.issue(CLIENT_CA, TestPki.spec().subject("CN=" + commonName).clientAuth().ec());
    }
}
