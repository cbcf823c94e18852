package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.testsupport.TestCerts;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling and answer desync through the WAR in Jetty ({@link SmugglingChecks}): requests whose body
 * length is stated two ways, or in ways a lenient parser would read differently, and back ends that frame an answer
 * two ways, send one nobody asked for, send a body with their answer to HEAD, or do not answer in HTTP.
 */
@ExtendWith(ArquillianExtension.class)
class RequestSmugglingIT {
    private static final String API = "framing";
    private static final FramingBackend BACKEND = new FramingBackend();
    private static final RawTlsBackend FRAMED_TWO_WAYS =
            RawTlsBackend.start(TestCerts.server(), SmugglingChecks.FRAMED_TWO_WAYS);
    private static final RawTlsBackend ANSWERS_TWICE =
            RawTlsBackend.start(TestCerts.server(), SmugglingChecks.ANSWERS_TWICE);
    private static final RawTlsBackend NOT_HTTP = RawTlsBackend.start(TestCerts.server(), SmugglingChecks.NOT_HTTP);
    private static final RawTlsBackend HEAD_TOO_BIG_WHEN_REUSED =
            RawTlsBackend.start(TestCerts.server(), SmugglingChecks.HEAD_TOO_BIG_WHEN_REUSED);
    private static final RawTlsBackend NO_CONTENT_WITH_A_LENGTH =
            RawTlsBackend.start(TestCerts.server(), SmugglingChecks.NO_CONTENT_WITH_A_LENGTH);
    private static final RawTlsBackend HEAD_WITH_A_BODY =
            RawTlsBackend.start(TestCerts.server(), SmugglingChecks.HEAD_WITH_A_BODY);

    private static boolean configured;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(RequestSmugglingIT.class);
        return CertgateWar.forClass(RequestSmugglingIT.class);
    }

    @AfterAll
    static void stopBackends() {
        BACKEND.close();
        FRAMED_TWO_WAYS.close();
        ANSWERS_TWICE.close();
        NOT_HTTP.close();
        NO_CONTENT_WITH_A_LENGTH.close();
        HEAD_TOO_BIG_WHEN_REUSED.close();
        HEAD_WITH_A_BODY.close();
    }

    @BeforeEach
    void configure() {
        if (!configured) {
            GatewaySetup setup = new GatewaySetup(base);
            setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
            setup.api(API, API, BACKEND.url());
            setup.api("framed-two-ways", "framed-two-ways", FRAMED_TWO_WAYS.url());
            setup.api("answers-twice", "answers-twice", ANSWERS_TWICE.url());
            setup.api("not-http", "not-http", NOT_HTTP.url());
            setup.api("no-content-with-a-length", "no-content-with-a-length", NO_CONTENT_WITH_A_LENGTH.url());
            setup.api("head-too-big", "head-too-big", HEAD_TOO_BIG_WHEN_REUSED.url());
            setup.api("head-with-a-body", "head-with-a-body", HEAD_WITH_A_BODY.url());
            configured = true;
        }
    }

    @Test
    void contentLengthThenChunkedNeverLetsTheHiddenRequestThrough() throws IOException {
        int length = SmugglingChecks.hiddenLength(base, API);
        assertNotSmuggled("Content-Length: " + length + "\r\nTransfer-Encoding: chunked\r\n");
    }

    @Test
    void chunkedThenContentLengthNeverLetsTheHiddenRequestThrough() throws IOException {
        assertNotSmuggled("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n");
    }

    @Test
    void twoDifferentContentLengthsAreRefused() throws IOException {
        int length = SmugglingChecks.hiddenLength(base, API);
        assertThat(assertNotSmuggled("Content-Length: 5\r\nContent-Length: " + length + "\r\n")).isEqualTo(400);
    }

    @Test
    void aTransferCodingOtherThanChunkedLastIsRefused() throws IOException {
        int length = SmugglingChecks.hiddenLength(base, API);
        assertThat(assertNotSmuggled("Transfer-Encoding: chunked, identity\r\nContent-Length: " + length + "\r\n"))
                .isBetween(400, 599);
    }

    @Test
    void anUnknownTransferCodingIsRefused() throws IOException {
        int length = SmugglingChecks.hiddenLength(base, API);
        assertThat(assertNotSmuggled("Transfer-Encoding: xchunked\r\nContent-Length: " + length + "\r\n"))
                .isBetween(400, 599);
    }

    @Test
    void whitespaceBeforeTheColonIsRefused() throws IOException {
        int length = SmugglingChecks.hiddenLength(base, API);
        assertThat(assertNotSmuggled("Transfer-Encoding : chunked\r\nContent-Length: " + length + "\r\n"))
                .isEqualTo(400);
    }

    @Test
    void aFoldedTransferEncodingIsRefused() throws IOException {
        int length = SmugglingChecks.hiddenLength(base, API);
        assertThat(assertNotSmuggled("Content-Length: " + length + "\r\nX-Padding: a\r\n Transfer-Encoding: chunked\r\n"))
                .isEqualTo(400);
    }

    @Test
    void anHttp10RequestWithTransferEncodingIsRefusedAndItsConnectionClosed() throws IOException {
        assertThat(SmugglingChecks.assertNotSmuggled(base, BACKEND, API,
                SmugglingChecks.hidingInHttp10(base, API))).isEqualTo(400);
    }

    @Test
    void anAnswerFramedTwoWaysReachesTheCallerFramedOnce() throws IOException {
        SmugglingChecks.assertAnswerFramedOnce(base, "framed-two-ways");
    }

    @Test
    void aNoContentAnswerClaimingALengthReachesTheCallerWithoutIt() throws IOException {
        SmugglingChecks.assertNoContentReachesTheCallerWithoutALength(base, "no-content-with-a-length");
    }

    @Test
    void anAnswerHeadOverTheLimitsIsAConnectionFailureAndNotSentAgain() throws IOException {
        SmugglingChecks.assertAnAnswerHeadOverTheLimitsIsAConnectionFailureSentOnce(base, "head-too-big");
    }

    @Test
    void anAnswerNobodyAskedForNeverReachesTheNextCaller() throws IOException {
        SmugglingChecks.assertUnaskedAnswerNeverReachesTheNextCaller(base, "answers-twice");
    }

    @Test
    void anAnswerThatIsNotHttpIsABackEndConnectionFailure() throws IOException {
        SmugglingChecks.assertAnAnswerThatIsNotHttpIsAConnectionFailure(base, "not-http");
    }

    @Test
    void aBodySentWithAnAnswerToHeadFailsNoLaterCaller() throws IOException {
        SmugglingChecks.assertABodySentWithAHeadAnswerFailsNoLaterCaller(base, "head-with-a-body");
    }

    private int assertNotSmuggled(String framing) throws IOException {
        return SmugglingChecks.assertNotSmuggled(base, BACKEND, API, SmugglingChecks.hiding(base, API, framing));
    }
}
