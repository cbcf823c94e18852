package dev.certgate.outbound;

import dev.certgate.api.ErrorCode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.InterruptedIOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * One pool's handshakes, blocking and non-blocking alike: counted for {@code /admin/status} and reported to the
 * {@link HandshakeListener}s, each shielded from the others so that one that throws never breaks a connection.
 */
final class Handshakes {
    private static final Logger LOG = LoggerFactory.getLogger(Handshakes.class);

    private final Supplier<String> certificateId;
    private final String thumbprint;
    private final List<HandshakeListener> listeners;
    private final LongAdder count = new LongAdder();

    /** @param certificateId read at each report: a pool's id follows the configuration */
    Handshakes(Supplier<String> certificateId, String thumbprint, List<HandshakeListener> listeners) {
        this.certificateId = certificateId;
        this.thumbprint = thumbprint;
        this.listeners = listeners;
    }

    /** A handshake succeeded, made anew or resuming an earlier session. */
    void completed(boolean resumed) {
        count.increment();
        String id = certificateId.get();
        for (HandshakeListener listener : listeners) {
            try {
                listener.completed(id, thumbprint, resumed);
            } catch (RuntimeException e) {
                LOG.error("A handshake listener failed", e);
            }
        }
    }

    void failed(Throwable failure) {
        ErrorCode reason = reason(failure);
        String id = certificateId.get();
        for (HandshakeListener listener : listeners) {
            try {
                listener.failed(id, thumbprint, reason);
            } catch (RuntimeException e) {
                LOG.error("A handshake listener failed", e);
            }
        }
    }

    long count() {
        return count.sum();
    }

    /** The error table's reason, as the proxy classifies the same failure of a request. */
    static ErrorCode reason(Throwable failure) {
        if (causedBy(failure, CertificateException.class) || causedBy(failure, CertPathValidatorException.class)
                || causedBy(failure, CertPathBuilderException.class)
                || causedBy(failure, SSLPeerUnverifiedException.class)) {
            return ErrorCode.BACKEND_TLS_VALIDATION_FAILED;
        }
        if (causedBy(failure, SSLException.class)) {
            return ErrorCode.BACKEND_TLS_HANDSHAKE_FAILED;
        }
        if (causedBy(failure, InterruptedIOException.class)) {
            return ErrorCode.BACKEND_TIMEOUT;
        }
        return ErrorCode.BACKEND_CONNECTION_FAILURE;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
