package dev.certgate.outbound;

import dev.certgate.testsupport.TestEndpoints;

import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How failures before an answer's head reach the retry decision: {@code RequestSmugglingIT} has the back ends that
 * leave bytes on a connection; this pins which failures are sent again and which are not.
 */
class LeftoverBytesTest {
    private final StaleConnectionRetry retry = new StaleConnectionRetry();

    @Test
    void anUnaskedAnswerBeforeTheRequestWentOutIsARequestNotExecutedWhateverItsMethod() {
        HttpException unasked = new HttpException("Unexpected response");

        Exception reported = LeftoverBytes.asConnectionLost(unasked);

        assertThat(reported).isInstanceOf(RequestNotExecutedException.class).hasCause(unasked);
        assertThat(retry.retryRequest(new BasicHttpRequest("POST", "/orders"), (IOException) reported, 1,
                HttpClientContext.create())).isTrue();
    }

    @Test
    void anAnswerThatDoesNotParseIsSentAgainOnlyAsAKeptAliveConnectionLost() {
        ParseException garbled = new ParseException("Invalid protocol version; error at offset 0: <helloHTTP/1.1 200>");

        Exception reported = LeftoverBytes.asConnectionLost(garbled);

        assertThat(reported).isInstanceOf(ConnectionClosedException.class)
                .isNotInstanceOf(RequestNotExecutedException.class).hasCause(garbled);
        IOException lost = (IOException) reported;
        assertThat(retry.retryRequest(new BasicHttpRequest("GET", "/orders"), lost, 1, onReusedConnection()))
                .as("GET on a connection that had answered before").isTrue();
        assertThat(retry.retryRequest(new BasicHttpRequest("POST", "/orders"), lost, 1, onReusedConnection()))
                .as("POST").isFalse();
        HttpClientContext onNewConnection = HttpClientContext.create();
        onNewConnection.setEndpointDetails(TestEndpoints.counting(1, 0));
        assertThat(retry.retryRequest(new BasicHttpRequest("GET", "/orders"), lost, 1, onNewConnection))
                .as("a new connection's garbled answer").isFalse();
    }

    @Test
    void otherFailuresPassAsTheyAre() {
        IOException reset = new IOException("Connection reset");

        assertThat(LeftoverBytes.asConnectionLost(reset)).isSameAs(reset);
    }

    private static HttpClientContext onReusedConnection() {
        HttpClientContext context = HttpClientContext.create();
        context.setEndpointDetails(TestEndpoints.counting(3, 1));
        return context;
    }
}
