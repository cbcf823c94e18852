package dev.certgate.outbound;

import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.util.TimeValue;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Sends a request again, once, on a new connection when the pooled connection it went out on was closed by the back
 * end before any answer: the race in which a back end closes a kept-alive connection (its idle timeout, its limit of
 * idle connections) just as the gateway reuses it. RFC 9112 §9.3.1 lets a client retry then, and only then: the
 * method is idempotent, the request has no body (HttpClient retries only repeatable bodies, and a caller's body is
 * not), the connection had answered before (a new connection that fails is a failing back end, reported as such),
 * no part of an answer arrived, and the failure is not a timeout (a slow back end is not asked twice). A request that
 * never went out is sent again, up to {@value #MAX_ATTEMPTS} attempts in all, whatever its method: HttpCore fails
 * the requests waiting for a connection that closed before it wrote them ({@link RequestNotExecutedException}), which
 * a back end that closes connections right after answering (its limit of idle connections) causes under load, and
 * then the next pooled connection may be one it closed too. Only attempts that may have reached the back end count
 * toward "once" (RFC 9110 §9.2.2: a failed automatic retry is not retried). HttpClient still sends no body twice.
 * An exchange that was cancelled ({@link ExchangeCancel}) is never sent again.
 */
final class StaleConnectionRetry implements HttpRequestRetryStrategy {
    /** Attempts in all; bounded so that a back end closing every connection fails fast. */
    static final int MAX_ATTEMPTS = 3;
    /** Set in the exchange's context once an attempt that may have reached the back end was sent again. */
    private static final String SENT_ATTEMPT_RETRIED = "dev.certgate.sentAttemptRetried";

    @Override
    public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        // Cancelling (the caller left, its body failed) drops the connection under the exchange, which HttpClient
        // reports as a lost connection. Sent again, it would lease for nobody, and the cancellation would then drop
        // that connection too: an idle one from the pool, or a new one.
        if (ExchangeCancel.isCancelled(context)) {
            return false;
        }
        // An answer head over HttpCore's limits is an answer: the back end would send it again.
        if (execCount >= MAX_ATTEMPTS || exception instanceof InterruptedIOException
                || exception instanceof MessageConstraintException) {
            return false;
        }
        if (exception instanceof RequestNotExecutedException) {
            return true; // nothing of it reached the back end
        }
        HttpCoreContext exchange = HttpCoreContext.castOrCreate(context);
        // A failed retry is not retried; and HttpClient puts an answer's head in the context as it arrives: nothing
        // is sent again after that.
        if (exchange.getAttribute(SENT_ATTEMPT_RETRIED) != null || !Method.isIdempotent(request.getMethod())
                || exchange.getResponse() != null) {
            return false;
        }
        EndpointDetails connection = exchange.getEndpointDetails();
        // Reused: it answered before. HttpCore 5.4's HTTP/1 client counts a final response as a request, not a
        // response, so one earlier exchange shows as two requests; a new connection shows at most this request.
        boolean reused = connection != null
                && (connection.getResponseCount() > 0 || connection.getRequestCount() > 1);
        if (reused) {
            exchange.setAttribute(SENT_ATTEMPT_RETRIED, Boolean.TRUE);
        }
        return reused;
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false; // an answer, whatever its status, goes to the caller
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
        return TimeValue.ZERO_MILLISECONDS;
    }
}
