package dev.certgate.outbound;

import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.RequestNotExecutedException;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;

import java.io.IOException;

/**
 * A request that fails because the pooled connection it was given carried an answer nobody asked for (a back end
 * that sent a second answer after the one it owed) is sent again on a new connection.
 *
 * <p>HttpCore reads an idle connection and drops it when an answer arrives on it with no request outstanding,
 * failing with {@code HttpException("Unexpected response")} whatever was waiting for that connection. When the
 * unasked bytes are read just after the next exchange leased the connection, but before HttpCore wrote its request,
 * that exchange failed, and its caller got an error for another exchange's answer. Its request never went out
 * (HttpCore raises this only with no request of the connection's outstanding), so it is reported as
 * {@link RequestNotExecutedException}, which {@link StaleConnectionRetry} sends again on a new connection.
 */
final class UnaskedAnswers {
    static final String CHAIN_HANDLER_NAME = "certgate-unasked-answers";
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
                    callback.failed(!answered && unasked(cause) ? notExecuted(cause) : cause);
                }
            });

    private UnaskedAnswers() {
    }

    /** HttpCore's failure for an answer that arrived on a connection with no request outstanding. */
    static boolean unasked(Exception cause) {
        return cause.getClass() == HttpException.class && UNEXPECTED_RESPONSE.equals(cause.getMessage());
    }

    private static RequestNotExecutedException notExecuted(Exception cause) {
        RequestNotExecutedException failure = new RequestNotExecutedException(
                "the pooled connection carried an answer nobody asked for before this request went out");
        failure.initCause(cause);
        return failure;
    }
}
