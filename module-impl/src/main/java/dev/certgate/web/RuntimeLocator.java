package dev.certgate.web;

import dev.certgate.CertgateRuntime;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one way to the web application's {@link CertgateRuntime}: created once per context from its home (by the
 * WAR's context listener, or by the first Certgate servlet or filter where there is none), shared by every servlet,
 * filter and admin resource of the context, and closed when the last of those that acquired it is destroyed. A
 * runtime that someone else put in the context attribute is used and never closed here. The home is the first of:
 * the servlet's or filter's init-param, the context init-param, the system property {@value #HOME_PARAMETER}, the
 * environment variable {@value #HOME_ENVIRONMENT}, and then the caller's fallback (the WAR's {@code ./certgate-data},
 * CONTRACT §1; none for a filter in someone else's application, which must be told where).
 */
public final class RuntimeLocator {
    /** Init-param, context param and system property naming the home directory. */
    public static final String HOME_PARAMETER = "certgate.home";
    public static final String HOME_ENVIRONMENT = "CERTGATE_HOME";

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeLocator.class);
    private static final String USERS_ATTRIBUTE = RuntimeLocator.class.getName() + ".users";

    private RuntimeLocator() {
    }

    /** The context's runtime, created from the home if none is there yet; pair with {@link #release}. */
    public static CertgateRuntime acquire(ServletContext context, String initParameterHome) throws ServletException {
        return acquire(context, initParameterHome, null);
    }

    /** As above; {@code fallbackHome} (may be null) is the home when nothing names one. */
    public static CertgateRuntime acquire(ServletContext context, String initParameterHome, String fallbackHome)
            throws ServletException {
        synchronized (RuntimeLocator.class) {
            Object existing = context.getAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
            Integer users = (Integer) context.getAttribute(USERS_ATTRIBUTE);
            if (existing instanceof CertgateRuntime runtime) {
                if (users != null) {
                    context.setAttribute(USERS_ATTRIBUTE, users + 1);
                }
                return runtime;
            }
            String home = home(initParameterHome, context.getInitParameter(HOME_PARAMETER),
                    System.getProperty(HOME_PARAMETER), System.getenv(), fallbackHome);
            if (home == null) {
                throw new UnavailableException("Certgate needs a home directory: set the init-param or system property "
                        + HOME_PARAMETER + ", or the environment variable " + HOME_ENVIRONMENT);
            }
            Path homePath = Path.of(home).toAbsolutePath().normalize();
            LOG.info("Starting Certgate on home {}", homePath);
            CertgateRuntime runtime = CertgateRuntime.start(homePath, System.getenv(), context::getInitParameter);
            context.setAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE, runtime);
            context.setAttribute(USERS_ATTRIBUTE, 1);
            return runtime;
        }
    }

    /** Called from destroy(): closes the runtime when the last servlet or filter that uses one created here goes. */
    public static void release(ServletContext context) {
        synchronized (RuntimeLocator.class) {
            Integer users = (Integer) context.getAttribute(USERS_ATTRIBUTE);
            if (users == null) {
                return; // not ours to close
            }
            if (users > 1) {
                context.setAttribute(USERS_ATTRIBUTE, users - 1);
                return;
            }
            context.removeAttribute(USERS_ATTRIBUTE);
            Object runtime = context.getAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
            context.removeAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
            if (runtime instanceof CertgateRuntime owned) {
                owned.close();
            }
        }
    }

    /**
     * The runtime the context holds, for code that runs only while it is there (the admin resources); one put there
     * by someone else counts too.
     */
    public static CertgateRuntime from(ServletContext context) {
        Object runtime = context.getAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
        if (runtime instanceof CertgateRuntime certgate) {
            return certgate;
        }
        throw new IllegalStateException("No CertgateRuntime in the servlet context: is the context listener declared?");
    }

    /**
     * The home in order of precedence: init-param, context param, system property, environment, fallback; null if
     * none.
     */
    static String home(String initParameter, String contextParameter, String systemProperty,
                       Map<String, String> environment, String fallback) {
        for (String candidate : new String[] {initParameter, contextParameter, systemProperty,
                environment.get(HOME_ENVIRONMENT), fallback}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        return null;
    }
}
