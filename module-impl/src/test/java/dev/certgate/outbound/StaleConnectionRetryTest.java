package dev.certgate.outbound;

import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;

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
}
