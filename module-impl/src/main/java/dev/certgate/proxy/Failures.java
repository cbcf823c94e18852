package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.outbound.BackendCertificateRejected;
import dev.certgate.outbound.TlsErrorText;
import dev.certgate.policy.SecretValues;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.util.DeadlineTimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

/**
 * Maps a failure of the way to the back end onto CONTRACT §4's error table. Transport failures (I/O) keep their
 * reasons; anything else is a bug and says so ({@code InternalError}), rather than blaming the back end.
 */
public final class Failures {
    private Failures() {
    }

    public static ErrorCode classify(Throwable failure) {
        if (causedBy(failure, CertgateException.class)) {
            return find(failure, CertgateException.class).errorCode();
        }
        // Our side refused the back end's chain or name.
        if (causedBy(failure, CertificateException.class) || causedBy(failure, CertPathValidatorException.class)
                || causedBy(failure, CertPathBuilderException.class)
                || causedBy(failure, SSLPeerUnverifiedException.class)) {
            return ErrorCode.BACKEND_TLS_VALIDATION_FAILED;
        }
        // No pooled connection became free within the lease wait (TimedLeases' deadline, or the pool's own).
        if (causedBy(failure, ConnectionRequestTimeoutException.class)
                || causedBy(failure, DeadlineTimeoutException.class)) {
            return ErrorCode.BACKEND_POOL_EXHAUSTED;
        }
        // Connecting and the TLS handshake share one timeout (HttpClient reports both as a connect timeout).
        if (causedBy(failure, ConnectTimeoutException.class)) {
            return ErrorCode.BACKEND_TIMEOUT;
        }
        if (causedBy(failure, ConnectException.class) || causedBy(failure, UnknownHostException.class)
                || causedBy(failure, NoRouteToHostException.class)) {
            return ErrorCode.BACKEND_CONNECTION_FAILURE;
        }
        // Anything else in TLS, typically the back end's alert (bad_certificate, certificate_required,
        // certificate_unknown, handshake_failure) when it refused our client certificate.
        if (causedBy(failure, SSLException.class)) {
            return ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED;
        }
        if (causedBy(failure, SocketTimeoutException.class)) {
            return ErrorCode.BACKEND_TIMEOUT;
        }
        // The connection failed some other way: reset, closed early, or an answer that broke HTTP (HttpCore's
        // HttpException: on the thread-bound path wrapped in an IOException, on the non-blocking path as it is).
        if (failure instanceof IOException || causedBy(failure, HttpException.class)) {
            return ErrorCode.BACKEND_CONNECTION_FAILURE;
        }
        return ErrorCode.INTERNAL_ERROR;
    }

    /**
     * What the caller may be told beyond the reason's fixed message: which configuration gap (the proxy words
     * those for callers) or which check of the back end's certificate failed; null when nothing more.
     */
    public static String message(Throwable failure) {
        CertgateException known = find(failure, CertgateException.class);
        if (known != null) {
            return known.errorCode() == ErrorCode.CONFIGURATION_ERROR ? known.getMessage() : null;
        }
        BackendCertificateRejected rejected = find(failure, BackendCertificateRejected.class);
        return rejected == null ? null : rejected.getMessage();
    }

    /** The cause in one line for the log: the caller's message if there is one, else the failure and its root. */
    static String describe(Throwable failure) {
        String message = message(failure);
        if (message != null) {
            return message;
        }
        if (failure instanceof CertgateException) {
            return failure.getMessage();
        }
        // BoringSSL's own text carries a native address and its build's source path around the reason that counts.
        SSLException tls = find(failure, SSLException.class);
        if (tls != null && tls.getMessage() != null) {
            return tls.getClass().getSimpleName() + ": " + TlsErrorText.plain(tls.getMessage());
        }
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        return root == failure ? failure.toString() : failure + " (cause: " + root + ")";
    }

    /**
     * The failure for a log line: as it is, or, with secret named values configured, a copy of its chain of causes
     * (stack traces kept) whose messages name each value as its {@code {{name}}}: an exception names the host it
     * could not reach, and a back end's URL may be built from a secret.
     */
    static Throwable forLog(Throwable failure, SecretValues secrets) {
        if (failure == null || secrets.isEmpty()) {
            return failure;
        }
        return WithoutSecrets.of(failure, secrets, 0);
    }

    /** A failure's copy for the log: its type and message as text, without secrets, and its stack trace. */
    private static final class WithoutSecrets extends Exception {
        private final String text;

        private WithoutSecrets(String text, Throwable cause) {
            super(text, cause, false, true);
            this.text = text;
        }

        static WithoutSecrets of(Throwable failure, SecretValues secrets, int depth) {
            Throwable cause = failure.getCause();
            WithoutSecrets copy = new WithoutSecrets(secrets.keepOut(failure.toString()),
                    cause == null || cause == failure || depth >= 16 ? null : of(cause, secrets, depth + 1));
            copy.setStackTrace(failure.getStackTrace());
            return copy;
        }

        /** As the original printed itself: {@code type: message}, not this class's name. */
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The container refused what the caller sent as malformed (a bad chunk header, say): the caller is still there
     * and is owed a 400, as the container itself answers on the blocking path. Told apart by the containers' own
     * types, by name, since the proxy is container-neutral: Jetty's {@code HttpException} family (its
     * {@code BadMessageException}) and Tomcat's {@code BadRequestException}.
     */
    static boolean malformedByCaller(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
                String name = type.getName();
                if (name.equals("org.eclipse.jetty.http.BadMessageException")
                        || name.equals("org.apache.coyote.BadRequestException")) {
                    return true;
                }
                for (Class<?> contract : type.getInterfaces()) {
                    if (contract.getName().equals("org.eclipse.jetty.http.HttpException")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A new TLS connection that the back end closed before answering its first request: under TLS 1.3 the back end
     * refuses a client certificate only after the client's side of the handshake is done, and its alert can lose
     * the race against the close. Any other failure as it is, an answer that broke HTTP among them: that back end
     * did answer.
     */
    static Exception explain(Exception failure, HttpClientContext context) {
        if (!(failure instanceof IOException io) || failure instanceof SSLException
                || failure instanceof SocketTimeoutException || causedBy(failure, HttpException.class)
                || causedBy(failure, MessageConstraintException.class)) {
            return failure;
        }
        EndpointDetails connection = context.getEndpointDetails();
        boolean firstOnNewConnection = connection != null && connection.getRequestCount() <= 1
                && connection.getResponseCount() == 0 && context.getSSLSession() != null;
        if (!firstOnNewConnection) {
            return failure;
        }
        SSLHandshakeException refused = new SSLHandshakeException(
                "the back end closed a new TLS connection before answering; it probably refused the client certificate");
        refused.initCause(io);
        return refused;
    }

    static boolean callerGone(Throwable failure) {
        return causedBy(failure, CallerGoneException.class);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        return find(failure, type) != null;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
