package dev.certgate.outbound;

import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TimedLeasesTest {
    private static final HttpRoute ROUTE = new HttpRoute(new HttpHost("https", "backend.invalid", 443));

    private final PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(1)
            .setMaxConnPerRoute(1)
            .build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final TimedLeases leases = new TimedLeases(pool, timer);

    @AfterEach
    void close() {
        timer.shutdownNow();
        pool.close(CloseMode.IMMEDIATE);
    }

    @Test
    void aLeaseStillWaitingAtItsDeadlineFailsSayingHowLongItWaitedInMilliseconds() throws Exception {
        Outcome held = new Outcome();
        leases.lease("held", ROUTE, null, Timeout.ofSeconds(5), held);
        assertThat(held.result.get(5, TimeUnit.SECONDS)).as("the pool's one entry, granted without connecting")
                .isInstanceOf(AsyncConnectionEndpoint.class);
        Outcome waiting = new Outcome();

        leases.lease("waiting", ROUTE, null, Timeout.ofMilliseconds(250), waiting);

        assertThat(waiting.result.get(5, TimeUnit.SECONDS)).isInstanceOf(ConnectionRequestTimeoutException.class)
                .asInstanceOf(InstanceOfAssertFactories.THROWABLE)
                .hasMessage("no pooled connection became free within 250 ms");
        assertThat(pool.getTotalStats().getPending()).as("the pool forgot the waiting lease").isZero();
    }

    /** What a lease came to: its endpoint, its failure, or "cancelled". */
    private static final class Outcome implements FutureCallback<AsyncConnectionEndpoint> {
        final CompletableFuture<Object> result = new CompletableFuture<>();

        @Override
        public void completed(AsyncConnectionEndpoint endpoint) {
            result.complete(endpoint);
        }

        @Override
        public void failed(Exception failure) {
            result.complete(failure);
        }

        @Override
        public void cancelled() {
            result.complete("cancelled");
        }
    }
}
