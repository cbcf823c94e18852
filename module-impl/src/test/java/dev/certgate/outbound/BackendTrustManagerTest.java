package dev.certgate.outbound;

import dev.certgate.testsupport.TestPki;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendTrustManagerTest {
    private static final TestPki.Issued TRUSTED_CA =
            TestPki.selfSigned(TestPki.spec().subject("CN=Uploaded CA").ca().ec());
    private static final TestPki.Issued OTHER_CA =
            TestPki.selfSigned(TestPki.spec().subject("CN=Other CA").ca().ec());

    @Test
    void everyFormOfTheServerCheckAcceptsAnUploadedAuthorityAndExplainsAnyOtherIssuer() throws Exception {
        X509ExtendedTrustManager trust = BackendTrust.trustManager(List.of(TRUSTED_CA.certificate()));
        X509Certificate[] good = serverChain(TRUSTED_CA);
        X509Certificate[] bad = serverChain(OTHER_CA);

        assertThatCode(() -> trust.checkServerTrusted(good, "UNKNOWN")).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(good, "UNKNOWN", (Socket) null)).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(good, "UNKNOWN", (SSLEngine) null)).doesNotThrowAnyException();
        String explained = "The back end's certificate chain is not trusted: it ends at \"CN=Other CA\"";
        assertThatThrownBy(() -> trust.checkServerTrusted(bad, "UNKNOWN"))
                .isInstanceOf(BackendCertificateRejected.class).hasMessageStartingWith(explained);
        assertThatThrownBy(() -> trust.checkServerTrusted(bad, "UNKNOWN", (Socket) null))
                .isInstanceOf(BackendCertificateRejected.class).hasMessageStartingWith(explained);
        assertThatThrownBy(() -> trust.checkServerTrusted(bad, "UNKNOWN", (SSLEngine) null))
                .isInstanceOf(BackendCertificateRejected.class).hasMessageStartingWith(explained);
    }

    @Test
    void noBackEndTrustManagerEverJudgesAClient() throws Exception {
        X509Certificate[] chain = serverChain(TRUSTED_CA);
        X509ExtendedTrustManager pkix = BackendTrust.trustManager(List.of(TRUSTED_CA.certificate()));
        for (X509ExtendedTrustManager trust : List.of(pkix, TrustAnyChain.INSTANCE, new WatchingTrustManager(pkix))) {
            assertThatThrownBy(() -> trust.checkClientTrusted(chain, "UNKNOWN"))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> trust.checkClientTrusted(chain, "UNKNOWN", (Socket) null))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> trust.checkClientTrusted(chain, "UNKNOWN", (SSLEngine) null))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void withChainValidationOffAnyServerIsAccepted() {
        X509Certificate[] foreign = serverChain(OTHER_CA);

        assertThatCode(() -> TrustAnyChain.INSTANCE.checkServerTrusted(foreign, "UNKNOWN")).doesNotThrowAnyException();
        assertThat(TrustAnyChain.INSTANCE.getAcceptedIssuers()).isEmpty();
    }

    private static X509Certificate[] serverChain(TestPki.Issued ca) {
        TestPki.Issued server = TestPki.issue(ca, TestPki.spec().subject("CN=server").dns("server").serverAuth().ec());
        return server.chain().toArray(new X509Certificate[0]);
    }
}
