package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.policy.SecretValues;
import dev.certgate.testsupport.TestEndpoints;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.util.Deadline;
import org.apache.hc.core5.util.DeadlineTimeoutException;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLProtocolException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateExpiredException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {
    @Test
    void classifiesEachKindOfFailure() {
        assertThat(Failures.classify(handshake("PKIX path building failed", new CertificateExpiredException())))
                .isEqualTo(ErrorCode.BACKEND_TLS_VALIDATION_FAILED);
        assertThat(Failures.classify(new SSLPeerUnverifiedException("Certificate for <x> doesn't match")))
                .isEqualTo(ErrorCode.BACKEND_TLS_VALIDATION_FAILED);
        assertThat(Failures.classify(new SSLHandshakeException("Received fatal alert: bad_certificate")))
                .isEqualTo(ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED);
        assertThat(Failures.classify(new SSLException("Received fatal alert: certificate_required")))
                .isEqualTo(ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED);
        assertThat(Failures.classify(new HttpHostConnectException("refused")))
                .isEqualTo(ErrorCode.BACKEND_CONNECTION_FAILURE);
        assertThat(Failures.classify(new UnknownHostException("nowhere.invalid")))
                .isEqualTo(ErrorCode.BACKEND_CONNECTION_FAILURE);
        // Connect and TLS handshake share HttpClient's connect timeout: no answer in time, not unreachable.
        assertThat(Failures.classify(new ConnectTimeoutException("Read timed out")))
                .isEqualTo(ErrorCode.BACKEND_TIMEOUT);
        assertThat(Failures.classify(new IOException(new ConnectException("wrapped"))))
                .isEqualTo(ErrorCode.BACKEND_CONNECTION_FAILURE);
        assertThat(Failures.classify(new SocketTimeoutException("Read timed out")))
                .isEqualTo(ErrorCode.BACKEND_TIMEOUT);
        assertThat(Failures.classify(new CertgateException(ErrorCode.CLIENT_CERTIFICATE_UNAVAILABLE, "x")))
                .isEqualTo(ErrorCode.CLIENT_CERTIFICATE_UNAVAILABLE);
        assertThat(Failures.classify(new IOException("Connection reset")))
                .isEqualTo(ErrorCode.BACKEND_CONNECTION_FAILURE);
        assertThat(Failures.classify(new CertgateException(ErrorCode.CONFIGURATION_ERROR, "API \"a\" has no back end")))
                .isEqualTo(ErrorCode.CONFIGURATION_ERROR);
        // The lease wait ran out: the classic client's own exception, or the pool's deadline as a cause.
        assertThat(Failures.classify(new ConnectionRequestTimeoutException("Timeout deadline: 300 MILLISECONDS")))
                .isEqualTo(ErrorCode.BACKEND_POOL_EXHAUSTED);
        assertThat(Failures.classify(new IOException(DeadlineTimeoutException.from(Deadline.calculate(TimeValue.ofMilliseconds(1))))))
                .isEqualTo(ErrorCode.BACKEND_POOL_EXHAUSTED);
    }

    @Test
    void anAnswerThatBreaksHttpIsAFailedConnectionOnEitherPathNotABug() {
        ParseException notHttp = new ParseException("Status line contains invalid status code");
        // The non-blocking client reports HttpCore's exception as it is; the thread-bound one wraps it.
        assertThat(Failures.classify(notHttp)).isEqualTo(ErrorCode.BACKEND_CONNECTION_FAILURE);
        assertThat(Failures.classify(new ClientProtocolException(notHttp)))
                .isEqualTo(ErrorCode.BACKEND_CONNECTION_FAILURE);
        assertThat(Failures.classify(new HttpException("Unexpected response")))
                .isEqualTo(ErrorCode.BACKEND_CONNECTION_FAILURE);
    }

    @Test
    void anAnswerThatBreaksHttpOnANewConnectionIsNotTakenForARefusedCertificate() throws Exception {
        HttpClientContext firstOnNewConnection = HttpClientContext.create();
        firstOnNewConnection.setEndpointDetails(TestEndpoints.counting(1, 0));
        firstOnNewConnection.setSSLSession(SSLContext.getDefault().createSSLEngine().getSession());
        IOException closed = new ConnectionClosedException("Connection closed by peer");
        ClientProtocolException notHttp = new ClientProtocolException(new ParseException("Invalid status line"));

        assertThat(Failures.explain(closed, firstOnNewConnection)).isInstanceOf(SSLHandshakeException.class)
                .hasCause(closed);
        assertThat(Failures.explain(notHttp, firstOnNewConnection)).isSameAs(notHttp);
        // An answer head over HttpCore's limits (8 KiB a line, 100 fields): the back end answered.
        IOException tooBig = new org.apache.hc.core5.http.MessageConstraintException("Maximum line length limit exceeded");
        assertThat(Failures.explain(tooBig, firstOnNewConnection)).isSameAs(tooBig);
        assertThat(Failures.classify(tooBig)).isEqualTo(dev.certgate.api.ErrorCode.BACKEND_CONNECTION_FAILURE);
    }

    @Test
    void aBugIsAnInternalErrorNeverAnUnreachableBackEnd() {
        assertThat(Failures.classify(new NullPointerException())).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(Failures.classify(new IllegalStateException("oops"))).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(Failures.message(new NullPointerException("secret detail"))).isNull();
    }

    @Test
    void callersAreToldConfigurationGapsButNotOtherCertgateMessages() {
        assertThat(Failures.message(new CertgateException(ErrorCode.CONFIGURATION_ERROR, "API \"a\" has no back end")))
                .isEqualTo("API \"a\" has no back end");
        assertThat(Failures.message(new CertgateException(ErrorCode.ENTITY_NOT_FOUND, "Certificate x not found")))
                .isNull();
        assertThat(Failures.message(new IOException("Connection reset"))).isNull();
    }

    @Test
    void theLogGetsTheFailureAndItsRootInOneLine() {
        assertThat(Failures.describe(new IOException("outer", new SocketTimeoutException("Read timed out"))))
                .isEqualTo("java.io.IOException: outer (cause: java.net.SocketTimeoutException: Read timed out)")
                .doesNotContain("\n");
    }

    @Test
    void theLogNamesTheBackEndsTlsAlertWithoutBoringSslsNoise() {
        SSLProtocolException refused = new SSLProtocolException("Read error: ssl=0x7fdc381a4278: Failure in SSL"
                + " library, usually a protocol error|error:10000416:SSL routines:OPENSSL_internal:"
                + "SSLV3_ALERT_CERTIFICATE_UNKNOWN (/__w/_temp/boringssl/ssl/tls_record.cc:491"
                + " 0x7fdc3813e840:0x00000003)");

        assertThat(Failures.describe(new IOException("exchange failed", refused))).isEqualTo(
                "SSLProtocolException: the back end ended the handshake with the TLS alert certificate_unknown");
        assertThat(Failures.describe(new SSLHandshakeException("Received fatal alert: bad_certificate")))
                .isEqualTo("SSLHandshakeException: Received fatal alert: bad_certificate");
    }

    @Test
    void recognisesTheCallersOwnFailures() {
        assertThat(Failures.callerGone(new IOException(new CallerGoneException(new IOException("reset"))))).isTrue();
        assertThat(Failures.callerGone(new IOException("reset"))).isFalse();
    }

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    @Test
    void aFailureForTheLogNamesASecretHostByItsReferenceThroughoutItsChainAndKeepsItsStackTrace() {
        SecretValues secrets = SecretValues.of(Map.of("backend-host", "hidden.invalid"));
        UnknownHostException root = new UnknownHostException("hidden.invalid: Name or service not known");
        IOException failure = new IOException("Connect to https://hidden.invalid:443 failed", root);

        Throwable logged = Failures.forLog(failure, secrets);
        StringWriter printed = new StringWriter();
        logged.printStackTrace(new PrintWriter(printed));

        assertThat(printed.toString()).doesNotContain("hidden.invalid")
                .contains("java.io.IOException: Connect to https://{{backend-host}}:443 failed")
                .contains("Caused by: java.net.UnknownHostException: {{backend-host}}: Name or service not known")
                .contains("FailuresTest");
        assertThat(logged.getStackTrace()).isEqualTo(failure.getStackTrace());
        assertThat(Failures.forLog(failure, SecretValues.NONE)).as("nothing to keep out: the failure itself")
                .isSameAs(failure);
    }
}
