package dev.certgate.launcher.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.security.AuthenticationState;
import org.eclipse.jetty.security.ServerAuthException;
import org.eclipse.jetty.security.UserIdentity;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * HTTP Basic for the admin API of the standalone launcher, with two changes to Jetty's: a malformed
 * {@code Authorization} header is answered with the challenge (401) where Jetty's throws (500), and every
 * failed login is logged (user name and address, never the password) and slowed per address by
 * {@link LoginThrottle}.
 */
final class AdminAuthenticator extends BasicAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(AdminAuthenticator.class);
    private static final int MAX_LOGGED_USER = 64;

    private final LoginThrottle throttle;

    AdminAuthenticator(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    public AuthenticationState validateRequest(Request request, Response response, Callback callback)
            throws ServerAuthException {
        try {
            return super.validateRequest(request, response, callback);
        } catch (IllegalArgumentException notBase64) {
            LOG.warn("Admin login failed from {}: the Authorization header is not HTTP Basic credentials",
                    Request.getRemoteAddr(request));
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"" + _loginService.getName() + "\"");
            Response.writeError(request, response, callback, HttpStatus.UNAUTHORIZED_401);
            return AuthenticationState.CHALLENGE;
        }
    }

    @Override
    public UserIdentity login(String username, Object password, Request request, Response response) {
        String address = Request.getRemoteAddr(request);
        LoginThrottle.Decision decision = throttle.beforeCheck(address);
        if (decision.refused()) {
            LOG.debug("Admin login for user {} from {} refused unchecked: too many failed logins from there",
                    forLog(username), address);
            return null;
        }
        if (decision.waitNanos() > 0 && !waited(decision.waitNanos())) {
            return null;
        }
        UserIdentity user = super.login(username, password, request, response);
        if (user != null) {
            throttle.succeeded(address);
            return user;
        }
        int failures = throttle.failed(address);
        LOG.warn("Admin login failed for user {} from {} ({} in a row from there{})", forLog(username), address,
                failures, failures >= LoginThrottle.FREE_FAILURES ? "; further logins from there are slowed" : "");
        return null;
    }

    /** Sleeps the throttle's bounded wait (at most 2 s); false if interrupted, as when the server stops. */
    private static boolean waited(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The user name as it may go into a log line: quoted, control characters replaced, length capped. */
    static String forLog(String user) {
        StringBuilder safe = new StringBuilder("'");
        user.codePoints().limit(MAX_LOGGED_USER)
                .forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return safe.append(user.codePointCount(0, user.length()) > MAX_LOGGED_USER ? "...'" : "'").toString();
    }
}
