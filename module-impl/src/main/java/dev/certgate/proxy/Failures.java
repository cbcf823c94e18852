package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;

import org.apache.hc.client5.http.ConnectTimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

/** Maps a failure of the way to the back end onto CONTRACT §4's error table. */
final class Failures {
    private Failures() {
    }

    static ErrorCode classify(Throwable failure) {
        if (causedBy(failure, CertgateException.class)) {
            return find(failure, CertgateException.class).errorCode();
        }
        // Our side refused the back end's chain or name.
        if (causedBy(failure, CertificateException.class) || causedBy(failure, CertPathValidatorException.class)
                || causedBy(failure, CertPathBuilderException.class)
                || causedBy(failure, SSLPeerUnverifiedException.class)) {
            return ErrorCode.BACKEND_TLS_VALIDATION_FAILED;
        }
        if (causedBy(failure, ConnectException.class) || causedBy(failure, UnknownHostException.class)
                || causedBy(failure, NoRouteToHostException.class) || causedBy(failure, ConnectTimeoutException.class)) {
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
        return ErrorCode.BACKEND_CONNECTION_FAILURE;
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
