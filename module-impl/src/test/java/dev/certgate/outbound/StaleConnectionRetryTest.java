package dev.certgate.outbound;

import dev.certgate.testsupport.TestEndpoints;

import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry decision for what the end-to-end cases cannot aim at reliably: the requests HttpCore reports as never
 * written, because the connection they were waiting for closed first (a back end that closes connections right
 * after answering, under load; {@code KeptAliveConnectionLossTest} covers a request the back end received).
 */
class StaleConnectionRetryTest {
    private final StaleConnectionRetry retry = new StaleConnectionRetry();

    @Test
    void aRequestThatNeverWentOutIsSentAgainUpToThreeAttemptsWhateverItsMethod() {
        for (String method : new String[] {"GET", "POST", "PATCH"}) {
            BasicHttpRequest request = new BasicHttpRequest(method, "/orders");
            RequestNotExecutedException notSent = new RequestNotExecutedException();

            assertThat(retry.retryRequest(request, notSent, 1, HttpClientContext.create())).as(method).isTrue();
            assertThat(retry.retryRequest(request, notSent, 2, HttpClientContext.create()))
                    .as(method + ", after the second attempt").isTrue();
            assertThat(retry.retryRequest(request, notSent, 3, HttpClientContext.create()))
                    .as(method + ", after the third attempt").isFalse();
        }
    }

    @Test
    void aRequestThatMayHaveGoneOutOnAConnectionOfUnknownHistoryIsNotSentAgain() {
        BasicHttpRequest request = new BasicHttpRequest("GET", "/orders");

        assertThat(retry.retryRequest(request, new ConnectionClosedException("Connection closed by peer"), 1,
                HttpClientContext.create())).isFalse();
        assertThat(retry.retryRequest(request, new SocketTimeoutException("Read timed out"), 1,
                HttpClientContext.create())).isFalse();
    }

    @Test
    void aRequestLostOnAReusedConnectionIsSentAgainOnlyOnceEvenAfterAttemptsThatNeverWentOut() {
        BasicHttpRequest request = new BasicHttpRequest("GET", "/orders");
        ConnectionClosedException closed = new ConnectionClosedException("Connection closed by peer");

        HttpClientContext sentFirst = onReusedConnection();
        assertThat(retry.retryRequest(request, closed, 1, sentFirst)).as("lost on a reused connection").isTrue();
        assertThat(retry.retryRequest(request, closed, 2, sentFirst)).as("the retry lost as well").isFalse();

        HttpClientContext notSentFirst = onReusedConnection();
        assertThat(retry.retryRequest(request, new RequestNotExecutedException(), 1, notSentFirst)).isTrue();
        assertThat(retry.retryRequest(request, closed, 2, notSentFirst))
                .as("the first attempt that went out, lost on a reused connection").isTrue();
        assertThat(retry.retryRequest(request, new RequestNotExecutedException(), 3, notSentFirst))
                .as("after three attempts").isFalse();
    }

    @Test
    void anAnswerHeadOverTheLimitsIsAnAnswerAndNotSentAgain() {
        BasicHttpRequest request = new BasicHttpRequest("GET", "/orders");

        assertThat(retry.retryRequest(request, new org.apache.hc.core5.http.MessageConstraintException(
                "Maximum line length limit exceeded"), 1, onReusedConnection())).isFalse();
    }

    @Test
    void aRequestLostOnANewConnectionIsAFailingBackEndAndNotSentAgain() {
        HttpClientContext context = HttpClientContext.create();
        context.setEndpointDetails(TestEndpoints.counting(1, 0));

        assertThat(retry.retryRequest(new BasicHttpRequest("GET", "/orders"),
                new ConnectionClosedException("Connection closed by peer"), 1, context)).isFalse();
    }

    @Test
    void anExchangeCancelledBecauseItsCallerLeftIsNotSentAgain() {
        BasicHttpRequest request = new BasicHttpRequest("GET", "/orders");
        HttpClientContext context = onReusedConnection();
        ExchangeCancel.attachTo(context).cancel(new CompletableFuture<>());

        // Cancelling drops the connection under the exchange, which HttpClient reports as a lost connection.
        assertThat(retry.retryRequest(request, new ConnectionClosedException("Connection closed"), 1, context))
                .as("lost on a reused connection").isFalse();
        assertThat(retry.retryRequest(request, new RequestNotExecutedException(), 1, context))
                .as("never written").isFalse();
    }

    private static HttpClientContext onReusedConnection() {
        HttpClientContext context = HttpClientContext.create();
        context.setEndpointDetails(TestEndpoints.counting(3, 1));
        return context;
    }
}
