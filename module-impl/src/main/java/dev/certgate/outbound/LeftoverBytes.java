package dev.certgate.outbound;

import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;

import java.io.IOException;

/**
 * An exchange that fails on bytes an earlier exchange left on its pooled connection is reported as a lost kept-alive
 * connection, which {@link StaleConnectionRetry} may send again on a new one, instead of failing its caller for
 * another exchange's answer. Such bytes come from a back end that sends more than it owes: a second answer nobody
 * asked for, or a body after its answer to HEAD.
 *
 * <p>HttpCore reads an idle connection and drops it when a whole answer arrives on it with no request outstanding,
 * failing with {@code HttpException("Unexpected response")} whatever was waiting for that connection. When the
 * unasked answer is read just after the next exchange leased the connection, but before HttpCore wrote its request,
 * that exchange fails; its request never went out (HttpCore raises this only with no request of the connection's
 * outstanding), so it becomes {@link RequestNotExecutedException}, sent again whatever its method.
 *
 * <p>Bytes that are not a whole answer wait on the connection instead, and the next exchange's answer fails to parse
 * behind them (a {@code ParseException}, an {@link HttpException}). That request did go out: any {@link HttpException}
 * before the answer's head becomes {@link ConnectionClosedException}, which is sent again only as a kept-alive
 * connection lost is (idempotent, no body, a connection that had answered before). A new connection's garbled answer
 * is not sent again, and every such failure is still classed as the back end's (the cause is kept).
 */
final class LeftoverBytes {
    static final String CHAIN_HANDLER_NAME = "certgate-leftover-bytes";
    /** HttpCore's message (ClientHttp1StreamDuplexer) for an answer on a connection with no request outstanding. */
    private static final String UNEXPECTED_RESPONSE = "Unexpected response";

    static final AsyncExecChainHandler CHAIN_HANDLER = (request, entityProducer, scope, chain, callback) ->
            chain.proceed(request, entityProducer, scope, new AsyncExecCallback() {
                private volatile boolean answered;

                @Override
                public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entityDetails)
                        throws HttpException, IOException {
                    answered = true;
                    return callback.handleResponse(response, entityDetails);
                }

                @Override
                public void handleInformationResponse(HttpResponse response) throws HttpException, IOException {
                    callback.handleInformationResponse(response);
                }

                @Override
                public void completed() {
                    callback.completed();
                }

                @Override
                public void failed(Exception cause) {
                    callback.failed(answered ? cause : asConnectionLost(cause));
                }
            });

    private LeftoverBytes() {
    }

    /** A failure before the answer's head, as the retry strategy should see it. */
    static Exception asConnectionLost(Exception cause) {
        if (!(cause instanceof HttpException)) {
            return cause;
        }
        IOException lost = cause.getClass() == HttpException.class && UNEXPECTED_RESPONSE.equals(cause.getMessage())
                ? new RequestNotExecutedException(
                        "the pooled connection carried an answer nobody asked for before this request went out")
                : new ConnectionClosedException("the back end's answer did not start as HTTP; the connection is dropped");
        lost.initCause(cause);
        return lost;
    }
}
